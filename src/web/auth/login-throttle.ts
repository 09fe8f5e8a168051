/**
 * Limits on failed sign-ins, per account and per client address, counted in the database so that
 * all instances share them. A success clears the account's count but not the address's, so one
 * valid account cannot be used to keep guessing others from the same address.
 */
import type { Database } from '../../db/open-database.ts';
import { clearFailures, countFailuresSince, recordFailures } from '../../store/login-failures.ts';

export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export const THROTTLED_TEXT = 'Too many failed sign-in attempts. Wait 15 minutes and try again.';

function subjects(username: string, address: string): { account: string; address: string } {
  return { account: `user:${username.slice(0, 150)}`, address: `addr:${address || 'unknown'}` };
}

/** True when the account or the address used up its failures in the current window. */
export async function isThrottled(
  database: Database,
  username: string,
  address: string,
  now = new Date(),
): Promise<boolean> {
  const keys = subjects(username, address);
  const counts = await countFailuresSince(
    database,
    [keys.account, keys.address],
    new Date(now.getTime() - FAILURE_WINDOW_MS),
  );
  return (
    (counts.get(keys.account) ?? 0) >= ACCOUNT_FAILURE_LIMIT ||
    (counts.get(keys.address) ?? 0) >= ADDRESS_FAILURE_LIMIT
  );
}

/** Counts a failed attempt against the account and the address. */
export async function noteFailure(database: Database, username: string, address: string): Promise<void> {
  const keys = subjects(username, address);
  await recordFailures(database, [keys.account, keys.address]);
}

/** Clears the account's failures after a successful sign-in. */
export async function noteSuccess(database: Database, username: string): Promise<void> {
  await clearFailures(database, subjects(username, '').account);
}
