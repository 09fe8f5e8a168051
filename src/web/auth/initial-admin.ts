/**
 * The first start: with no account at all, create the superuser `admin` with a random password and
 * log that password once (login is required by default, so someone must be able to sign in).
 */
import type { Config } from '../../config/schema.ts';
import type { Database } from '../../db/open-database.ts';
import type { Logger } from '../../lib/logger.ts';
import { hashPassword } from '../../lib/password-hash.ts';
import { generatePassword } from '../../store/accounts/create-account.ts';
import { countUsers, createUserIfAbsent } from '../../store/accounts/users.ts';

export const INITIAL_ADMIN = 'admin';

/**
 * Creates `admin` when the users table is empty and says so in the log; returns whether this call
 * created it. With CAS nobody signs in with a password, so it only explains how to make a superuser.
 */
export async function ensureInitialAdmin(database: Database, config: Config, log: Logger): Promise<boolean> {
  if ((await countUsers(database)) > 0) return false;
  if (config.CAS) {
    log.warn(
      'No DebMonitor account exists yet. CAS users get one at their first sign-in; make one a superuser ' +
        'beforehand with: debmonitor-server user add --superuser --no-password NAME',
    );
    return false;
  }
  const password = await generatePassword(INITIAL_ADMIN);
  const created = await createUserIfAbsent(database, {
    username: INITIAL_ADMIN,
    passwordHash: await hashPassword(password),
    isSuperuser: true,
  });
  if (created) {
    log.warn(
      `Created the superuser '${INITIAL_ADMIN}' with the password ${password} ` +
        `(shown only this once). Sign in and change it on the Users page, or run: ` +
        `debmonitor-server user passwd ${INITIAL_ADMIN}`,
    );
  }
  return created;
}
