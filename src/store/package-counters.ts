/**
 * The per-package counters (packages.installed_count / upgrade_count / security_count: host rows
 * plus image rows), kept by every write path in its own transaction. A writer collects what it
 * changes as deltas and applies them with one multi-row upsert that adds them to the counters, in
 * ascending package id order, so that concurrent reports lock package rows in one order (no
 * deadlock on MariaDB). Deleting hosts or images (one, or GC's in bulk) subtracts their rows first.
 */
import { batchRows, inList, insertRaw } from '../db/dialect.ts';
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import { SECURITY_UPGRADE } from '../domain/report-diff.ts';

/** What a package row contributes to its package's counters. */
export interface CountedRow {
  /** The row has an upgrade pending (its candidate is a version of the same package). */
  upgrade: boolean;
  upgradeType: string | null;
}

interface Delta {
  name: string;
  installed: number;
  upgrades: number;
  security: number;
}

/** Counter deltas by package id, collected while a transaction writes rows. */
export class CounterDeltas {
  readonly #byId = new Map<number, Delta>();

  /** Adds (`sign` 1) or removes (`sign` -1) one row of package `packageId` named `name`. */
  add(packageId: number, name: string, row: CountedRow, sign: 1 | -1): void {
    const upgrade = row.upgrade ? sign : 0;
    this.addCounts(packageId, name, {
      installed: sign,
      upgrades: upgrade,
      security: row.upgradeType === SECURITY_UPGRADE ? upgrade : 0,
    });
  }

  /** Adds counts (negative to subtract) to package `packageId` named `name`. */
  addCounts(packageId: number, name: string, counts: Omit<Delta, 'name'>): void {
    let delta = this.#byId.get(packageId);
    if (!delta) {
      delta = { name, installed: 0, upgrades: 0, security: 0 };
      this.#byId.set(packageId, delta);
    }
    delta.installed += counts.installed;
    delta.upgrades += counts.upgrades;
    delta.security += counts.security;
  }

  /** The non-zero deltas as `[id, name, installed, upgrades, security]`, by ascending id. */
  rows(): [number, string, number, number, number][] {
    return [...this.#byId]
      .filter(([, d]) => d.installed !== 0 || d.upgrades !== 0 || d.security !== 0)
      .sort(([a], [b]) => a - b)
      .map(([id, d]) => [id, d.name, d.installed, d.upgrades, d.security]);
  }
}

const COUNTER_COLUMNS = ['installed_count', 'upgrade_count', 'security_count'];

/**
 * Adds `deltas` to the packages' counters: one statement (batched only past the parameter limit),
 * nothing when no counter changes. The packages exist (rows refer to them), so the INSERT part never
 * inserts; it carries the name only because the column is NOT NULL.
 */
export async function applyCounterDeltas(
  tx: AppDb,
  database: Database,
  deltas: CounterDeltas,
): Promise<void> {
  const rows = deltas.rows();
  if (rows.length === 0) return;
  const { dialect } = database;
  await insertRaw(
    dialect,
    tx,
    'packages',
    ['id', 'name', ...COUNTER_COLUMNS],
    rows,
    dialect.addClause(['id'], COUNTER_COLUMNS),
  );
}

/**
 * Subtracts every package row of the given hosts or images from the counters (before deleting
 * them; the caller holds their rows locked): one grouped SELECT and one counter upsert.
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
  const deltas = new CounterDeltas();
  for (const batch of batchRows(dialect, ownerIds, 1)) {
    const list = inList(dialect, batch);
    // A row's candidate is a version of its own package (same name): one id serves every count.
    const rows = await dialect.selectRaw<{
      package_id: number;
      name: string;
      installed: number;
      upgrades: number;
      security: number;
    }>(
      tx,
      `SELECT x.package_id, p.name, count(*) AS installed,
              sum(CASE WHEN x.upgradable_package_id IS NULL THEN 0 ELSE 1 END) AS upgrades,
              sum(CASE WHEN x.upgradable_package_id IS NOT NULL AND x.upgrade_type = '${SECURITY_UPGRADE}' THEN 1 ELSE 0 END) AS security
       FROM ${table} x JOIN packages p ON p.id = x.package_id
       WHERE x.${ownerColumn} IN (${list.text})
       GROUP BY x.package_id, p.name`,
      list.params,
    );
    for (const row of rows)
      deltas.addCounts(Number(row.package_id), row.name, {
        installed: -Number(row.installed),
        upgrades: -Number(row.upgrades),
        security: -Number(row.security),
      });
  }
  await applyCounterDeltas(tx, database, deltas);
}
