/**
 * Limits on refused enrollments per client address, counted in the database (the sign-in failures'
 * table, subject `enroll:<address>`) so that every instance shares them. Unlike sign-in, only
 * refusals are recorded, after the fact: a fleet enrolling at once behind one address is never
 * held back by its own successes, and a token of 256 random bits needs no tighter count.
 */
import type { Database } from '../../db/open-database.ts';
import { countFailuresSince, recordFailures } from '../../store/accounts/login-failures.ts';

export const ENROLL_FAILURE_LIMIT = 20;
export const ENROLL_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const ENROLL_THROTTLED_TEXT =
  'Too many refused enrollments from this address: wait 15 minutes and try again';

function subjectOf(address: string): string {
  return `enroll:${address || 'unknown'}`;
}

/** Whether the address has used up its refusals of the window. */
export async function isEnrollThrottled(
  database: Database,
  address: string,
  now = new Date(),
): Promise<boolean> {
  const subject = subjectOf(address);
  const counts = await countFailuresSince(
    database,
    [subject],
    new Date(now.getTime() - ENROLL_FAILURE_WINDOW_MS),
  );
  return (counts.get(subject) ?? 0) >= ENROLL_FAILURE_LIMIT;
}

/** Counts one refused enrollment against the address. */
export async function recordEnrollRefusal(
  database: Database,
  address: string,
  now = new Date(),
): Promise<void> {
  await recordFailures(database, [subjectOf(address)], now);
}
