/**
 * Folds the appended count deltas (package_count_deltas, ./package-count-writer.ts) into the base
 * counts (package_counts), where writers append them (MySQL; on SQLite they are added in place and
 * the fold loop does not run, see ./package-count-writer.ts). One fold, in one transaction: read up to `limit` committed delta rows by id (a plain read: rows of
 * transactions still open are not seen, and stay for a later fold), add their sums to
 * package_counts, and delete exactly the ids read. If fewer rows are deleted than were read,
 * another fold (another server instance on the same MariaDB) took some of them first: roll back and
 * let the next fold start over. No lock is needed: a delta is added once, by the fold that
 * deletes it. Readers see one snapshot, where a fold either committed or did not, so "base plus
 * pending deltas" is always exact (../read/package-counts.ts).
 *
 * Deleting `WHERE id <= max` instead would be wrong on MariaDB: a report that took a smaller id but
 * has not committed yet would lose its delta.
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import type { Logger } from '../../lib/logger.ts';
import { SECURITY_UPGRADE } from '../../protocol/report.ts';
import { CountDeltas, countsOf, type PackageCountRow } from './package-count-deltas.ts';
import { addToPackageCounts } from './package-count-writer.ts';

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
  // A read first: with nothing pending, no write transaction.
  const d = sqlNames(database.tables.packageCountDeltas);
  const pending = await database.sql.select(`SELECT 1 AS one FROM ${d.$table} LIMIT 1`);
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
export async function foldInTransaction(tx: Transaction, database: Database, limit: number): Promise<number> {
  const d = sqlNames(database.tables.packageCountDeltas);
  const rows = await tx.sql.select<PackageCountRow & { id: number }>(
    `SELECT ${d.id} AS id, ${d.packageId} AS package_id, ${d.installed} AS installed, ${d.upgrades} AS upgrades,
            ${d.security} AS security
     FROM ${d.$table} ORDER BY ${d.id} LIMIT ?`,
    [limit],
  );
  if (rows.length === 0) return 0;
  // Delete first: a fold that lost the race stops here, before it locks any package_counts row.
  let deleted = 0;
  for (const batch of idRanges(rows.map((row) => Number(row.id)))) {
    // Padded to a power of two with the last range (matched once all the same), so that a few
    // statement texts serve every batch (SQLite caches prepared statements by text).
    while ((batch.length & (batch.length - 1)) !== 0) batch.push(batch[batch.length - 1] as [number, number]);
    const where = batch.map(() => `${d.id} BETWEEN ? AND ?`).join(' OR ');
    deleted += await tx.sql.run(`DELETE FROM ${d.$table} WHERE ${where}`, batch.flat());
  }
  if (deleted !== rows.length) throw new FoldConflictError(`read ${rows.length} deltas, deleted ${deleted}`);
  const sums = new CountDeltas();
  for (const row of rows) sums.addCounts(Number(row.package_id), countsOf(row));
  await addToPackageCounts(tx, database, sums.rows());
  return rows.length;
}

/**
 * Replaces the counts with a recount of the host and image rows and drops the pending deltas, in one
 * transaction (after a restore or a bulk load that bypasses ingest; migration 0001 backfilled with
 * RECOUNT's statement, which a test checks); returns how many packages have counts. Safe while
 * reports arrive: on MariaDB the deletes and the recount's reads lock what they touch (REPEATABLE
 * READ), so a concurrent report either committed before (counted, its deltas dropped) or waits and
 * appends its deltas after; a deadlock between the two fails the recount, which can simply run again.
 */
export async function recountPackageCounts(database: Database): Promise<number> {
  const { packageCounts, packageCountDeltas } = database.tables;
  return database.transaction(
    async (tx) => {
      await tx.sql.run(`DELETE FROM ${sqlNames(packageCountDeltas).$table}`);
      await tx.sql.run(`DELETE FROM ${sqlNames(packageCounts).$table}`);
      return tx.sql.run(recountStatement(database), [SECURITY_UPGRADE, SECURITY_UPGRADE]);
    },
    { isolation: 'repeatable read' },
  );
}

/**
 * The one statement that counts every package's installed, upgrade and security rows, hosts plus
 * images, into package_counts; its two parameters are SECURITY_UPGRADE.
 */
export function recountStatement(database: Database): string {
  const c = sqlNames(database.tables.packageCounts);
  const installed = (table: typeof database.tables.hostPackages | typeof database.tables.imagePackages) => {
    const r = sqlNames(table);
    return `SELECT ${r.packageId} AS package_id, count(*) AS installed, 0 AS upgrades, 0 AS security
      FROM ${r.$table} GROUP BY ${r.packageId}`;
  };
  const upgrades = (table: typeof database.tables.hostPackages | typeof database.tables.imagePackages) => {
    const r = sqlNames(table);
    return `SELECT ${r.upgradablePackageId}, 0, count(*), sum(CASE WHEN ${r.upgradeType} = ? THEN 1 ELSE 0 END)
      FROM ${r.$table} WHERE ${r.upgradablePackageId} IS NOT NULL GROUP BY ${r.upgradablePackageId}`;
  };
  const { hostPackages, imagePackages } = database.tables;
  return `INSERT INTO ${c.$table} (${c.packageId}, ${c.installed}, ${c.upgrades}, ${c.security})
  SELECT package_id, sum(installed), sum(upgrades), sum(security) FROM (
    ${installed(hostPackages)}
    UNION ALL ${upgrades(hostPackages)}
    UNION ALL ${installed(imagePackages)}
    UNION ALL ${upgrades(imagePackages)}
  ) recount GROUP BY package_id`;
}

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
