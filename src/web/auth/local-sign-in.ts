/** Checks a username and password against the local accounts, with the attempt limits applied. */
import type { Database } from '../../db/open-database.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.ts';
import { verifyDecoy, verifyPassword } from '../../lib/password-hash.ts';
import { findUserByName, type UserRecord } from '../../store/accounts/users.ts';
import { isDeviceTokenValid } from './device-cookie.ts';
import { beginAttempt } from './login-throttle.ts';

export type LocalSignIn =
  | { outcome: 'ok'; user: UserRecord }
  | { outcome: 'refused' }
  | { outcome: 'throttled' };

/**
 * Verifies the credentials. Unknown, disabled and password-less accounts cost the same time as a
 * wrong password and give the same answer, so the answer does not tell which names exist.
 * `deviceToken` is the browser's device cookie, if any.
 */
export async function signInLocally(
  database: Database,
  username: string,
  password: string,
  address: string,
  deviceToken?: string,
): Promise<LocalSignIn> {
  const user = username ? await findUserByName(database, username) : null;
  const trusted = deviceToken !== undefined && user !== null && isDeviceTokenValid(deviceToken, user);
  const attempt = await beginAttempt(database, {
    username,
    address,
    ...(trusted ? { deviceToken } : {}),
  });
  if (attempt.throttled) return { outcome: 'throttled' };
  // Hashing megabytes would let anyone keep a CPU busy; no real password is this long. The attempt
  // stays counted as a failure, like every refusal below.
  if (password.length > MAX_PASSWORD_LENGTH) return { outcome: 'refused' };
  const valid =
    user?.isActive && user.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await verifyDecoy(password);
  if (!valid || !user) return { outcome: 'refused' };
  await attempt.succeeded();
  return { outcome: 'ok', user };
}
