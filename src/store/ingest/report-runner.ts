/**
 * Runs one report's transaction with the guarantees of docs/architecture.md, "A report's path"
 * (step 8): reports for the same host (or image, or cluster) never interleave in this process (a keyed
 * mutex) nor across processes (the transaction locks the owner's row); deadlocks and lock timeouts are
 * retried; a foreign-key failure (a cached row deleted by GC, possibly on another instance) clears the
 * cache and retries once. One runner per open database (../store.ts).
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { createKeyedMutex } from '../../lib/mutex.ts';
import { type RetryOptions, withRetries } from '../retry.ts';
import { type CatalogCache, type CatalogScope, createCatalogCache } from './catalog-cache.ts';

const MAX_ATTEMPTS = 6;

export interface ReportRunner {
  /**
   * Runs `work` in one transaction, serialized with every other report for `key` (for example
   * `host:db1.example.com`). `work` may run more than once; it must do nothing outside `tx`.
   */
  run<T>(key: string, work: (tx: Transaction, cache: CatalogScope) => Promise<T>): Promise<T>;
  /** The catalog ids known to this process's reports (shared by all of them). */
  readonly cache: CatalogCache;
}

export function createReportRunner(database: Database): ReportRunner {
  const locks = createKeyedMutex();
  const cache = createCatalogCache();
  return {
    cache,
    run(key, work) {
      let clearedCache = false;
      const options: RetryOptions = {
        attempts: MAX_ATTEMPTS,
        pauseMs: (attempt) => attempt * 10 + Math.random() * 20,
        recover(error) {
          if (!database.errors.isForeignKeyViolation(error) || clearedCache) return false;
          cache.clear();
          clearedCache = true;
          return true;
        },
      };
      return locks.run(key, () =>
        withRetries(database, options, async () => {
          const scope = cache.begin();
          const result = await database.transaction((tx) => work(tx, scope), { isolation: 'read committed' });
          scope.commit();
          return result;
        }),
      );
    },
  };
}
