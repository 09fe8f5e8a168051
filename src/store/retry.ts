/**
 * The one retry policy of the store's transactions (reports and GC): a transaction that failed on
 * a deadlock, a lock timeout or a transient conflict runs again after a short, growing pause; any
 * other error ends it at once (a broken database or a bug does not get better by repeating).
 */
import type { Database } from '../db/open-database.ts';
import { TransientConflictError } from './ingest/report-errors.ts';

export interface RetryOptions {
  /** Runs in all, the first included. */
  attempts: number;
  /** The pause before run `attempt + 1`, in milliseconds. */
  pauseMs: (attempt: number) => number;
  /** Other failures worth another run after the same pause (besides the transient ones). */
  alsoRetry?: (error: unknown) => boolean;
  /** Mends what a failure showed (e.g. a stale cache) and returns true to run again at once. */
  recover?: (error: unknown) => boolean;
}

/** Deadlocks, lock wait timeouts, serialization failures and TransientConflictError. */
export function isTransient(database: Database, error: unknown): boolean {
  return database.errors.isRetryable(error) || error instanceof TransientConflictError;
}

/** Runs `work` (one transaction) until it succeeds, fails for good, or runs out of attempts. */
export async function withRetries<T>(
  database: Database,
  options: RetryOptions,
  work: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (options.recover?.(error)) continue;
      const retryable = isTransient(database, error) || (options.alsoRetry?.(error) ?? false);
      if (!retryable || attempt >= options.attempts) throw error;
      await Bun.sleep(options.pauseMs(attempt));
    }
  }
}
