/**
 * The write side of the per-package counts (host rows plus image rows: installed, upgrades,
 * security). A writer collects what its transaction changes as deltas by package and records them
 * with one multi-row statement, in the same transaction. Deleting hosts or images (one, or GC's in
 * bulk) records the negation of their rows first.
 *
 * Where writers run concurrently (MySQL), the deltas are appended to package_count_deltas: pure
 * inserts, so concurrent reports never wait on each other for a popular package's count row (the
 * counts are folded later, ./package-count-fold.ts). Where they never do (SQLite's single write
 * lock), nothing can wait, so the deltas are added to package_counts in place: no delta rows to
 * write, fold and delete, and a third of the WAL pages a cold report writes.
 */
import { batchRows, inList, insertRaw } from '../db/dialect.ts';
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import { SECURITY_UPGRADE } from '../domain/report-diff.ts';

/** What a package row contributes to its package's counts. */
export interface CountedRow {
  /** The row has an upgrade pending (its candidate is a version of the same package). */
  upgrade: boolean;
  upgradeType: string | null;
}

/** Installed / upgrades / security, as counts or as deltas. */
export interface CountTriple {
  installed: number;
  upgrades: number;
  security: number;
}

/** A package's counts or deltas as a row of package_counts or package_count_deltas reads back. */
export type PackageCountRow = { package_id: number; installed: number; upgrades: number; security: number };

/** The counts of `row` (drivers may return numbers as strings or bigints), negated with `sign` -1. */
export function countsOf(row: PackageCountRow, sign: 1 | -1 = 1): CountTriple {
  return {
    installed: sign * Number(row.installed),
    upgrades: sign * Number(row.upgrades),
    security: sign * Number(row.security),
  };
}

/** Count deltas by package id, collected while a transaction writes rows. */
export class CountDeltas {
  readonly #byId = new Map<number, CountTriple>();

  /** Adds (`sign` 1) or removes (`sign` -1) one row of package `packageId`. */
  add(packageId: number, row: CountedRow, sign: 1 | -1): void {
    const upgrade = row.upgrade ? sign : 0;
    this.addCounts(packageId, {
      installed: sign,
      upgrades: upgrade,
      security: row.upgradeType === SECURITY_UPGRADE ? upgrade : 0,
    });
  }

  /** Adds counts (negative to subtract) to package `packageId`. */
  addCounts(packageId: number, counts: CountTriple): void {
    let delta = this.#byId.get(packageId);
    if (!delta) {
      delta = { installed: 0, upgrades: 0, security: 0 };
      this.#byId.set(packageId, delta);
    }
    delta.installed += counts.installed;
    delta.upgrades += counts.upgrades;
    delta.security += counts.security;
  }

  /** The non-zero deltas as `[id, installed, upgrades, security]`, by ascending id. */
  rows(): [number, number, number, number][] {
    return [...this.#byId]
      .filter(([, d]) => d.installed !== 0 || d.upgrades !== 0 || d.security !== 0)
      .sort(([a], [b]) => a - b)
      .map(([id, d]) => [id, d.installed, d.upgrades, d.security]);
  }
}

/** What a recorded row (of ./package-rows.ts) counts for. */
export function countedOf(row: { upgradeVersion: string | null; upgradeType: string | null }): CountedRow {
  return { upgrade: row.upgradeVersion !== null, upgradeType: row.upgradeType };
}

const COUNT_COLUMNS = ['installed', 'upgrades', 'security'];
const DELTA_COLUMNS = ['package_id', ...COUNT_COLUMNS];

/**
 * Records `deltas` (see the module comment): one statement (batched only past the parameter limit),
 * nothing when no count changes.
 */
export async function recordCountDeltas(tx: AppDb, database: Database, deltas: CountDeltas): Promise<void> {
  const rows = deltas.rows();
  if (rows.length === 0) return;
  if (database.dialect.serialWriters) await addToPackageCounts(tx, database, rows);
  else await insertRaw(database.dialect, tx, 'package_count_deltas', DELTA_COLUMNS, rows);
}

/** Adds `rows` (`CountDeltas.rows()`) to package_counts, creating the rows it lacks. */
export async function addToPackageCounts(
  tx: AppDb,
  database: Database,
  rows: readonly (readonly number[])[],
): Promise<void> {
  const { dialect } = database;
  await insertRaw(
    dialect,
    tx,
    'package_counts',
    DELTA_COLUMNS,
    rows,
    dialect.addClause(['package_id'], COUNT_COLUMNS),
  );
}

/**
 * Records the negation of every package row of the given hosts or images (before deleting them; the
 * caller holds their rows locked): one grouped SELECT and one statement of deltas.
 */
export async function subtractOwnerRows(
  tx: AppDb,
  database: Database,
  kind: 'host' | 'image',
  ownerIds: readonly number[],
): Promise<void> {
  const { dialect } = database;
  const table = kind === 'host' ? 'host_packages' : 'image_packages';
  const ownerColumn = kind === 'host' ? 'host_id' : 'image_id';
  const deltas = new CountDeltas();
  for (const batch of batchRows(dialect, ownerIds, 1)) {
    const list = inList(dialect, batch);
    // A row's candidate is a version of its own package (same name): one id serves every count.
    const rows = await dialect.selectRaw<PackageCountRow>(
      tx,
      `SELECT package_id, count(*) AS installed,
              sum(CASE WHEN upgradable_package_id IS NULL THEN 0 ELSE 1 END) AS upgrades,
              sum(CASE WHEN upgradable_package_id IS NOT NULL AND upgrade_type = '${SECURITY_UPGRADE}' THEN 1 ELSE 0 END) AS security
       FROM ${table} WHERE ${ownerColumn} IN (${list.text})
       GROUP BY package_id`,
      list.params,
    );
    for (const row of rows) deltas.addCounts(Number(row.package_id), countsOf(row, -1));
  }
  await recordCountDeltas(tx, database, deltas);
}
