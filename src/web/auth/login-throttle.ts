/**
 * Limits on sign-in attempts, counted in the database so that all instances share them.
 *
 * The rule, per window of 15 minutes:
 * - an address with more than ADDRESS_FAILURE_LIMIT failures is refused, whatever the password;
 * - an account with more than ACCOUNT_FAILURE_LIMIT failures is refused, except from a browser that
 *   signed in to it before (its device cookie), which is held to DEVICE_FAILURE_LIMIT failures of
 *   its own instead. A stranger's guesses thus lock the account for new browsers only: its owner
 *   keeps signing in from the browsers they use.
 *
 * An attempt records its failure rows before the password is checked, then counts the window's rows
 * including its own and those of attempts still running: of any number of parallel guesses, on any
 * number of instances, at most the limit get checked. A throttled attempt deletes its rows (it
 * checked nothing). A success deletes its own rows and the browser's failures, but not the earlier
 * failures of the account or the address: that would give a stranger fresh guesses.
 */
import type { Database } from '../../db/open-database.ts';
import { sha256Hex } from '../../lib/tokens.ts';
import {
  clearFailures,
  countFailuresSince,
  deleteFailures,
  recordFailures,
} from '../../store/accounts/login-failures.ts';

export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
export const DEVICE_FAILURE_LIMIT = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export const THROTTLED_TEXT = 'Too many failed sign-in attempts. Wait 15 minutes and try again.';

export interface SignInAttempt {
  /** True when a limit is used up: the password must not be checked. */
  readonly throttled: boolean;
  /** After the right password: takes back this attempt's rows and forgets the browser's failures. */
  succeeded(): Promise<void>;
  /** When nothing could be checked (the LDAP server is down): takes back this attempt's rows. */
  withdraw(): Promise<void>;
}

export interface AttemptSource {
  username: string;
  address: string;
  /** A valid device cookie for this account, when the browser sent one. */
  deviceToken?: string;
}

/** The subjects an attempt counts against. */
export function attemptSubjects(source: AttemptSource): {
  account: string;
  address: string;
  device?: string;
} {
  return {
    account: `user:${source.username.slice(0, 150)}`,
    address: `addr:${source.address || 'unknown'}`,
    ...(source.deviceToken ? { device: `device:${sha256Hex(source.deviceToken).slice(0, 32)}` } : {}),
  };
}

/** Starts an attempt: records it as a failure, then tells whether it is over a limit. */
export async function beginAttempt(
  database: Database,
  source: AttemptSource,
  now = new Date(),
): Promise<SignInAttempt> {
  const keys = attemptSubjects(source);
  const subjects = [keys.account, keys.address, ...(keys.device ? [keys.device] : [])];
  const ids = await recordFailures(database, subjects, now);
  const counts = await countFailuresSince(database, subjects, new Date(now.getTime() - FAILURE_WINDOW_MS));
  const over = (subject: string, limit: number) => (counts.get(subject) ?? 0) > limit;
  const throttled =
    over(keys.address, ADDRESS_FAILURE_LIMIT) ||
    (keys.device ? over(keys.device, DEVICE_FAILURE_LIMIT) : over(keys.account, ACCOUNT_FAILURE_LIMIT));
  if (throttled) await deleteFailures(database, ids);
  return {
    throttled,
    async succeeded() {
      await deleteFailures(database, ids);
      if (keys.device) await clearFailures(database, keys.device);
    },
    async withdraw() {
      await deleteFailures(database, ids);
    },
  };
}
