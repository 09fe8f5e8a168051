/**
 * Runs one report's transaction with the guarantees of docs/architecture.md, "A report's path"
 * (step 8): reports for the same host (or image, or cluster) never interleave in this process (a keyed
 * mutex) nor across processes (the transaction locks the owner's row); deadlocks and lock timeouts are
 * retried; a foreign-key failure (a cached row deleted by GC, possibly on another instance) clears the
 * cache and retries once.
 */
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import { createKeyedMutex, type KeyedMutex } from '../lib/mutex.ts';
import { type CatalogCache, type CatalogScope, createCatalogCache } from './catalog-cache.ts';
import { type RetryOptions, withRetries } from './retry.ts';

const MAX_ATTEMPTS = 6;

interface DatabaseState {
  locks: KeyedMutex;
  cache: CatalogCache;
}

const states = new WeakMap<Database, DatabaseState>();

function stateOf(database: Database): DatabaseState {
  let state = states.get(database);
  if (!state) {
    state = { locks: createKeyedMutex(), cache: createCatalogCache() };
    states.set(database, state);
  }
  return state;
}

/** The catalog cache of a database (shared by every report of this process). */
export function getCatalogCache(database: Database): CatalogCache {
  return stateOf(database).cache;
}

/**
 * Runs `work` in one transaction, serialized with every other report for `key` (for example
 * `host:db1.example.com`). `work` may run more than once; it must do nothing outside `tx`.
 */
export function runReport<T>(
  database: Database,
  key: string,
  work: (tx: AppDb, cache: CatalogScope) => Promise<T>,
): Promise<T> {
  const state = stateOf(database);
  let clearedCache = false;
  const options: RetryOptions = {
    attempts: MAX_ATTEMPTS,
    pauseMs: (attempt) => attempt * 10 + Math.random() * 20,
    recover(error) {
      if (!database.dialect.isForeignKeyViolation(error) || clearedCache) return false;
      state.cache.clear();
      clearedCache = true;
      return true;
    },
  };
  return state.locks.run(key, () =>
    withRetries(database, options, async () => {
      const scope = state.cache.begin();
      const result = await database.transaction((tx) => work(tx, scope), { isolation: 'read committed' });
      scope.commit();
      return result;
    }),
  );
}
