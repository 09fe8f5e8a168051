/** Checks a username and password against the local accounts, with the failure limits applied. */
import type { Database } from '../../db/open-database.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.ts';
import { verifyDecoy, verifyPassword } from '../../lib/password-hash.ts';
import { findUserByName, type UserRecord } from '../../store/users.ts';
import { isThrottled, noteFailure, noteSuccess } from './login-throttle.ts';

export type LocalSignIn =
  | { outcome: 'ok'; user: UserRecord }
  | { outcome: 'refused' }
  | { outcome: 'throttled' };

/**
 * Verifies the credentials. Unknown, disabled and password-less accounts cost the same time as a
 * wrong password and give the same answer, so the answer does not tell which names exist.
 */
export async function signInLocally(
  database: Database,
  username: string,
  password: string,
  address: string,
): Promise<LocalSignIn> {
  if (await isThrottled(database, username, address)) return { outcome: 'throttled' };
  if (password.length > MAX_PASSWORD_LENGTH) {
    // Hashing megabytes would let anyone keep a CPU busy; no real password is this long.
    await noteFailure(database, username, address);
    return { outcome: 'refused' };
  }
  const user = username ? await findUserByName(database, username) : null;
  const valid =
    user?.isActive && user.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await verifyDecoy(password);
  if (!valid || !user) {
    await noteFailure(database, username, address);
    return { outcome: 'refused' };
  }
  await noteSuccess(database, username);
  return { outcome: 'ok', user };
}
