/**
 * Sessions of directory accounts follow the directory: at most once per interval (CACHE_TIMEOUT, five
 * minutes without it), a request of a signed-in directory user asks the directory again, with the
 * service account, whether the user still exists and the groups still let them in. If not, every
 * session of the account ends and the request goes on signed out. When the directory cannot be
 * asked, the session stays (one log line), as a directory outage must not sign everybody out.
 * Accounts with a local password are not the directory's and are never asked about.
 */
import type { Database } from '../../db/open-database.ts';
import type { Logger } from '../../lib/logger.ts';
import { endSessionsOf } from '../../store/accounts/directory-accounts.ts';
import { findUserByName } from '../../store/accounts/users.ts';
import type { SessionUser } from '../env.ts';
import { judgeGroups } from '../ldap/group-policy.ts';
import type { LdapSignIn } from './directory-sign-in.ts';

/** How often a user is asked about when CACHE_GROUPS does not say. */
const DEFAULT_INTERVAL_MS = 5 * 60_000;

export interface DirectoryRecheck {
  /** False when the user's sessions were just ended. */
  stillAllowed(database: Database, user: SessionUser, log: Pick<Logger, 'info' | 'warn'>): Promise<boolean>;
}

export function createDirectoryRecheck(ldap: LdapSignIn, now: () => number = Date.now): DirectoryRecheck {
  const intervalMs = ldap.settings.groupCacheMs > 0 ? ldap.settings.groupCacheMs : DEFAULT_INTERVAL_MS;
  /** When each user was last found allowed (or last could not be asked about). */
  const checkedAt = new Map<number, number>();
  return {
    async stillAllowed(database, user, log) {
      const last = checkedAt.get(user.id);
      if (last !== undefined && now() - last < intervalMs) return true;
      const account = await findUserByName(database, user.username);
      if (account?.passwordHash) {
        checkedAt.set(user.id, now());
        return true;
      }
      const answer = await ldap.directory.lookUp(user.username);
      if (answer.outcome === 'unavailable') {
        log.warn(
          `Could not check ${user.username} against the LDAP directory (the session stays): ${answer.reason}`,
        );
        checkedAt.set(user.id, now());
        return true;
      }
      const verdict =
        answer.outcome === 'missing'
          ? { allowed: false as const, reason: 'no longer in the directory' }
          : judgeGroups(ldap.settings, answer.groups);
      if (verdict.allowed) {
        checkedAt.set(user.id, now());
        return true;
      }
      checkedAt.delete(user.id);
      await endSessionsOf(database, user.id);
      log.info(`Ended every session of ${user.username}: ${verdict.reason}`);
      return false;
    },
  };
}
