/**
 * How a transaction's count deltas (./package-count-deltas.ts) reach package_counts, chosen once per
 * database by what it can do:
 *
 * - Where writers never run concurrently (SQLite's single write lock), nothing can wait on a
 *   popular package's count row, so the deltas are added to package_counts in place: no delta rows
 *   to write, fold and delete, and a third of the WAL pages a cold report writes.
 * - Where they do (MySQL), the deltas are appended to package_count_deltas: pure inserts, so
 *   concurrent reports never wait on each other for a count row; a background loop folds them into
 *   package_counts (./package-count-fold.ts), and readers add the pending ones
 *   (../read/package-counts.ts).
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { insertRows } from '../../db/sql-runner.ts';
import type { Logger } from '../../lib/logger.ts';
import type { CountDeltas } from './package-count-deltas.ts';
import {
  type PackageCountFold,
  type PackageCountFoldOptions,
  startPackageCountFold,
} from './package-count-fold.ts';

export interface PackageCountWriter {
  /** Records `deltas` in `tx`: one statement (batched only past the parameter limit), none when no count changes. */
  record(tx: Transaction, deltas: CountDeltas): Promise<void>;
  /** Starts folding appended deltas in the background; nothing to do (undefined) where deltas are added in place. */
  startFolding(options: PackageCountFoldOptions & { log: Logger }): PackageCountFold | undefined;
}

/** The writer for `database` (see the module comment). */
export function createPackageCountWriter(database: Database): PackageCountWriter {
  return database.capabilities.serialWriters ? inPlaceWriter(database) : appendingWriter(database);
}

function inPlaceWriter(database: Database): PackageCountWriter {
  return {
    async record(tx, deltas) {
      const rows = deltas.rows();
      if (rows.length > 0) await addToPackageCounts(tx, database, rows);
    },
    startFolding: () => undefined,
  };
}

function appendingWriter(database: Database): PackageCountWriter {
  const d = sqlNames(database.tables.packageCountDeltas);
  const columns = [d.packageId, d.installed, d.upgrades, d.security];
  return {
    async record(tx, deltas) {
      const rows = deltas.rows();
      if (rows.length > 0) await insertRows(tx.sql, database.capabilities, d.$table, columns, rows);
    },
    startFolding: (options) => startPackageCountFold(database, options),
  };
}

/** Adds `rows` (`CountDeltas.rows()`: id, installed, upgrades, security) to package_counts, creating the rows it lacks. */
export async function addToPackageCounts(
  tx: Transaction,
  database: Database,
  rows: readonly (readonly number[])[],
): Promise<void> {
  const c = sqlNames(database.tables.packageCounts);
  const counted = [c.installed, c.upgrades, c.security];
  await insertRows(
    tx.sql,
    database.capabilities,
    c.$table,
    [c.packageId, ...counted],
    rows,
    database.spelling.addClause([c.packageId], counted),
  );
}
