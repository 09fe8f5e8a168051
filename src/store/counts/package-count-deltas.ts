/**
 * Count deltas: what a transaction's writes change in the per-package counts (host rows plus image
 * rows: installed, upgrades, security), collected by package and recorded at the end by the
 * database's count writer (./package-count-writer.ts). Deleting hosts or images (one, or GC's in
 * bulk) records the negation of their rows first.
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList } from '../../db/sql-runner.ts';
import { SECURITY_UPGRADE } from '../../protocol/report.ts';
import type { PackageCountWriter } from './package-count-writer.ts';

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

/**
 * Records the negation of every package row of the given hosts or images (before deleting them; the
 * caller holds their rows locked): one grouped SELECT, then one statement of deltas by `writer`.
 */
export async function subtractOwnerRows(
  tx: Transaction,
  database: Database,
  writer: PackageCountWriter,
  kind: 'host' | 'image',
  ownerIds: readonly number[],
): Promise<void> {
  const { capabilities } = database;
  const hostRows = sqlNames(database.tables.hostPackages);
  const imageRows = sqlNames(database.tables.imagePackages);
  const rows = kind === 'host' ? hostRows : imageRows;
  const owner = kind === 'host' ? hostRows.hostId : imageRows.imageId;
  const deltas = new CountDeltas();
  for (const batch of batchRows(capabilities, ownerIds, 1)) {
    const list = inList(capabilities, batch);
    // A row's candidate is a version of its own package (same name): one id serves every count.
    const counts = await tx.sql.select<PackageCountRow>(
      `SELECT ${rows.packageId} AS package_id, count(*) AS installed,
              sum(CASE WHEN ${rows.upgradablePackageId} IS NULL THEN 0 ELSE 1 END) AS upgrades,
              sum(CASE WHEN ${rows.upgradablePackageId} IS NOT NULL AND ${rows.upgradeType} = ? THEN 1 ELSE 0 END) AS security
       FROM ${rows.$table} WHERE ${owner} IN (${list.text})
       GROUP BY ${rows.packageId}`,
      [SECURITY_UPGRADE, ...list.params],
    );
    for (const row of counts) deltas.addCounts(Number(row.package_id), countsOf(row, -1));
  }
  await writer.record(tx, deltas);
}
