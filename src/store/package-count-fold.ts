/**
 * Folds the appended count deltas (package_count_deltas, ./package-count-deltas.ts) into the base
 * counts (package_counts). Only MySQL writers append deltas; on SQLite a fold finds none (or those
 * a version before in-place counts left), and an empty fold is one read that takes no write lock.
 * One fold, in one transaction: read up to `limit` committed delta rows by id (a plain read: rows of
 * transactions still open are not seen, and stay for a later fold), add their sums to
 * package_counts, and delete exactly the ids read. If fewer rows are deleted than were read,
 * another fold (another server instance on the same MariaDB) took some of them first: roll back and
 * let the next fold start over. No lock is needed: a delta is added once, by the fold that
 * deletes it. Readers see one snapshot, where a fold either committed or did not, so "base plus
 * pending deltas" is always exact (./read/package-counts.ts).
 *
 * Deleting `WHERE id <= max` instead would be wrong on MariaDB: a report that took a smaller id but
 * has not committed yet would lose its delta.
 */
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import type { Logger } from '../lib/logger.ts';
import { addToPackageCounts, CountDeltas, countsOf, type PackageCountRow } from './package-count-deltas.ts';

/** Delta rows one fold reads at most. */
export const FOLD_LIMIT = 20_000;

/** What one fold did. */
export interface FoldResult {
  /** Delta rows added to the base counts and deleted. */
  folded: number;
  /** True if the fold read `limit` rows: more may be pending. */
  more: boolean;
  /** True if another fold took some of the rows first (this one rolled back). */
  conflict: boolean;
}

/** Another fold deleted some of the rows this one read: its transaction must roll back. */
export class FoldConflictError extends Error {}

/** Id ranges per DELETE statement. */
const RANGES_PER_DELETE = 256;

/**
 * The runs of consecutive ids in `ids` (ascending) as `[first, last]` pairs, in batches. A run holds
 * only ids that were read (ids are unique integers), so deleting its range deletes exactly those
 * rows, never one of a transaction still open: the same as `id IN (...)`, at a fraction of the
 * cost when reports insert their deltas with consecutive ids (cold ingest: 1,200 per report).
 */
export function idRanges(ids: readonly number[]): [number, number][][] {
  const runs: [number, number][] = [];
  for (const id of ids) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  const batches: [number, number][][] = [];
  for (let start = 0; start < runs.length; start += RANGES_PER_DELETE)
    batches.push(runs.slice(start, start + RANGES_PER_DELETE));
  return batches;
}

/** Folds up to `limit` pending delta rows into package_counts (see the module comment). */
export async function foldPackageCounts(database: Database, limit = FOLD_LIMIT): Promise<FoldResult> {
  // A read first: with nothing pending (always, on SQLite after an upgrade's leftovers), no write
  // transaction, which on SQLite would queue behind reports for the writer.
  const pending = await database.dialect.selectRaw(
    database.db,
    'SELECT 1 AS one FROM package_count_deltas LIMIT 1',
    [],
  );
  if (pending.length === 0) return { folded: 0, more: false, conflict: false };
  try {
    const folded = await database.transaction((tx) => foldInTransaction(tx, database, limit), {
      isolation: 'read committed',
    });
    return { folded, more: folded >= limit, conflict: false };
  } catch (error) {
    if (error instanceof FoldConflictError) return { folded: 0, more: true, conflict: true };
    throw error;
  }
}

/** Folds every pending delta row (tests, benchmarks, after a bulk load). */
export async function foldAllPackageCounts(database: Database): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await foldPackageCounts(database);
    total += result.folded;
    if (!result.more) return total;
  }
}

/**
 * The body of one fold, in the caller's transaction (for tests that hold a fold open while another
 * runs); returns the rows folded. Throws when another fold took some of the rows: roll back then.
 */
export async function foldInTransaction(tx: AppDb, database: Database, limit: number): Promise<number> {
  const { dialect } = database;
  const rows = await dialect.selectRaw<PackageCountRow & { id: number }>(
    tx,
    'SELECT id, package_id, installed, upgrades, security FROM package_count_deltas ORDER BY id LIMIT ?',
    [limit],
  );
  if (rows.length === 0) return 0;
  // Delete first: a fold that lost the race stops here, before it locks any package_counts row.
  let deleted = 0;
  for (const batch of idRanges(rows.map((row) => Number(row.id)))) {
    // Padded to a power of two with the last range (matched once all the same), so that a few
    // statement texts serve every batch (SQLite caches prepared statements by text).
    while ((batch.length & (batch.length - 1)) !== 0) batch.push(batch[batch.length - 1] as [number, number]);
    const where = batch.map(() => 'id BETWEEN ? AND ?').join(' OR ');
    deleted += await dialect.runRaw(tx, `DELETE FROM package_count_deltas WHERE ${where}`, batch.flat());
  }
  if (deleted !== rows.length) throw new FoldConflictError(`read ${rows.length} deltas, deleted ${deleted}`);
  const sums = new CountDeltas();
  for (const row of rows) sums.addCounts(Number(row.package_id), countsOf(row));
  await addToPackageCounts(tx, database, sums.rows());
  return rows.length;
}

/**
 * Replaces the counts with a recount of the host and image rows and drops the pending deltas, in one
 * transaction (after a restore or a bulk load that bypasses ingest; migration 0001 backfills with the
 * same statement); returns how many packages have counts. Safe while reports arrive: on MariaDB the
 * deletes and the recount's reads lock what they touch (REPEATABLE READ), so a concurrent report
 * either committed before (counted, its deltas dropped) or waits and appends its deltas after; a
 * deadlock between the two fails the recount, which can simply run again.
 */
export async function recountPackageCounts(database: Database): Promise<number> {
  const { dialect } = database;
  return database.transaction(
    async (tx) => {
      await dialect.runRaw(tx, 'DELETE FROM package_count_deltas', []);
      await dialect.runRaw(tx, 'DELETE FROM package_counts', []);
      return dialect.runRaw(tx, RECOUNT, []);
    },
    { isolation: 'repeatable read' },
  );
}

const upgradesOf = (table: string) =>
  `SELECT upgradable_package_id, 0, count(*), sum(CASE WHEN upgrade_type = 'security' THEN 1 ELSE 0 END)
     FROM ${table} WHERE upgradable_package_id IS NOT NULL GROUP BY upgradable_package_id`;

const RECOUNT = `INSERT INTO package_counts (package_id, installed, upgrades, security)
  SELECT package_id, sum(installed), sum(upgrades), sum(security) FROM (
    SELECT package_id, count(*) AS installed, 0 AS upgrades, 0 AS security FROM host_packages GROUP BY package_id
    UNION ALL ${upgradesOf('host_packages')}
    UNION ALL SELECT package_id, count(*), 0, 0 FROM image_packages GROUP BY package_id
    UNION ALL ${upgradesOf('image_packages')}
  ) recount GROUP BY package_id`;

export interface PackageCountFoldOptions {
  /** Pause between folds when none is pending beyond one batch, in ms. */
  intervalMs?: number;
  /** Delta rows per fold. */
  limit?: number;
  log: Logger;
  /**
   * Runs `callback` after `delayMs` unless cancelled. By default a timer that does not keep the
   * process alive; tests drive the loop by hand with their own.
   */
  schedule?: (callback: () => void, delayMs: number) => { cancel(): void };
}

/** setTimeout, without keeping the process alive. */
function scheduleTimer(callback: () => void, delayMs: number): { cancel(): void } {
  const timer = setTimeout(callback, delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}

/** A running fold loop. */
export interface PackageCountFold {
  /** Stops the loop and waits for a fold in progress to end. */
  stop(): Promise<void>;
}

/**
 * Folds in the background: about every `intervalMs`, at once again while a fold finds a full batch
 * (cold ingest appends thousands of rows per report). The timer never keeps the process alive; a
 * failed fold (a deadlock with GC deleting a package, say) is logged and tried again later.
 */
export function startPackageCountFold(
  database: Database,
  options: PackageCountFoldOptions,
): PackageCountFold {
  const intervalMs = options.intervalMs ?? 1000;
  const scheduleNext = options.schedule ?? scheduleTimer;
  let timer: { cancel(): void } | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = scheduleNext(() => {
      timer = undefined;
      running = tick().finally(() => {
        running = undefined;
      });
    }, delayMs);
  };
  const tick = async () => {
    let delayMs = intervalMs;
    try {
      const result = await foldPackageCounts(database, options.limit);
      // After losing a race with another instance, wait a random while so that the two drift apart.
      if (result.conflict) delayMs = Math.random() * intervalMs;
      else if (result.more) delayMs = 0;
    } catch (error) {
      options.log.warn(`Folding package counts failed (will retry): ${(error as Error).message}`);
    }
    schedule(delayMs);
  };
  schedule(intervalMs);
  return {
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = undefined;
      await running;
    },
  };
}
