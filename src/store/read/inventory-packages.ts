/**
 * The package rows of one host or one image, for their detail pages. A host has a few thousand rows
 * at most, so they are read in one indexed query and sorted in memory: Debian version order cannot
 * be expressed in SQL.
 */

import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import { containsIgnoringCase, type ListOptions, type Page, slicePage } from './list-options.ts';

export const INVENTORY_PACKAGE_SORTS = ['default', 'name', 'version', 'upgrade'] as const;
export type InventoryPackageSort = (typeof INVENTORY_PACKAGE_SORTS)[number];

/** One installed package of a host or image. */
export interface InventoryPackageRow {
  packageName: string;
  version: string;
  upgradableVersion: string | null;
  upgradeType: string | null;
}

/** Spec §3.5 item 3: upgrades first, then `upgrade_type` descending (NULL last), then the name. */
function compareDefault(a: InventoryPackageRow, b: InventoryPackageRow): number {
  const upgradeA = a.upgradableVersion === null ? 1 : 0;
  const upgradeB = b.upgradableVersion === null ? 1 : 0;
  if (upgradeA !== upgradeB) return upgradeA - upgradeB;
  if (a.upgradeType !== b.upgradeType) {
    if (a.upgradeType === null) return 1;
    if (b.upgradeType === null) return -1;
    return compareBinary(b.upgradeType, a.upgradeType);
  }
  return compareBinary(a.packageName, b.packageName);
}

const comparators: Record<InventoryPackageSort, (a: InventoryPackageRow, b: InventoryPackageRow) => number> =
  {
    default: compareDefault,
    name: (a, b) => compareBinary(a.packageName, b.packageName),
    version: (a, b) =>
      compareDebianVersions(a.version, b.version) || compareBinary(a.packageName, b.packageName),
    upgrade: (a, b) => {
      if (a.upgradableVersion === b.upgradableVersion) return compareBinary(a.packageName, b.packageName);
      if (a.upgradableVersion === null) return 1;
      if (b.upgradableVersion === null) return -1;
      return compareDebianVersions(a.upgradableVersion, b.upgradableVersion);
    },
  };

/** Lists one page of the packages of host `ownerId` (`kind: 'hosts'`) or image `ownerId`. */
export async function listInventoryPackages(
  database: Database,
  kind: 'hosts' | 'images',
  ownerId: number,
  options: ListOptions<InventoryPackageSort>,
): Promise<Page<InventoryPackageRow>> {
  const rows = (await readInventoryPackages(database, kind, ownerId)).filter(
    (row) =>
      (!options.q || containsIgnoringCase(row.packageName, options.q)) &&
      (options.filter === 'all' ||
        (row.upgradableVersion !== null &&
          (options.filter === 'upgradable' || row.upgradeType === 'security'))),
  );
  const compare = comparators[options.sort];
  rows.sort(options.descending && options.sort !== 'default' ? (a, b) => compare(b, a) : compare);
  return slicePage(rows, options);
}

/** Every package row of one host or image, unsorted. */
export async function readInventoryPackages(
  database: Database,
  kind: 'hosts' | 'images',
  ownerId: number,
): Promise<InventoryPackageRow[]> {
  const t = database.tables;
  const table = kind === 'hosts' ? t.hostPackages : t.imagePackages;
  const owner: SQL = kind === 'hosts' ? sql`${t.hostPackages.hostId}` : sql`${t.imagePackages.imageId}`;
  return database.dialect.selectRows<InventoryPackageRow & Record<string, unknown>>(
    database.db,
    sql`SELECT p.name AS packageName, v.version AS version, u.version AS upgradableVersion,
          ${table.upgradeType} AS upgradeType
        FROM ${table}
        JOIN ${t.packages} p ON p.id = ${table.packageId}
        JOIN ${t.packageVersions} v ON v.id = ${table.packageVersionId}
        LEFT JOIN ${t.packageVersions} u ON u.id = ${table.upgradableVersionId}
        WHERE ${owner} = ${ownerId}`,
  );
}
