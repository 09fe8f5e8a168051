/**
 * The package rows of one host or one image, for their detail pages and exports. A host has a few
 * thousand rows (MAX_REPORT_PACKAGES bounds what reports give it), so they are read whole and sorted
 * in memory: Debian version order cannot be expressed in SQL.
 */

import { sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import { toMillis } from '../../lib/raw-timestamp.ts';
import { sortYielding } from '../../lib/yielding-sort.ts';
import { SECURITY_UPGRADE } from '../../protocol/report.ts';
import { keysetPages, type SortKey, slices } from './keyset.ts';
import {
  containsIgnoringCase,
  type ExportOptions,
  type ListOptions,
  type Page,
  slicePage,
} from './list-options.ts';

export const INVENTORY_PACKAGE_SORTS = ['default', 'name', 'version', 'upgrade'] as const;
export type InventoryPackageSort = (typeof INVENTORY_PACKAGE_SORTS)[number];

/** One installed package of a host or image. */
export interface InventoryPackageRow {
  packageName: string;
  version: string;
  upgradableVersion: string | null;
  upgradeType: string | null;
  /** When a report first showed the candidate (docs/history.md). */
  upgradeSince: Date | null;
}

/** Upgrades first, then `upgrade_type` descending (NULL last), then the name. */
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
  return slicePage(await sortInventoryPackages(database, kind, ownerId, options), options);
}

/** Every package row of one host or image in the list's order, `pageRows` at a time (exports). */
export async function* pageInventoryPackages(
  database: Database,
  kind: 'hosts' | 'images',
  ownerId: number,
  options: ExportOptions<InventoryPackageSort>,
  pageRows: number,
): AsyncGenerator<InventoryPackageRow[]> {
  yield* slices(await sortInventoryPackages(database, kind, ownerId, options), pageRows);
}

/** The rows of the list, filtered and sorted; the event loop turns between reads and sort slices. */
async function sortInventoryPackages(
  database: Database,
  kind: 'hosts' | 'images',
  ownerId: number,
  options: ExportOptions<InventoryPackageSort>,
): Promise<InventoryPackageRow[]> {
  const rows = (await readInventoryPackages(database, kind, ownerId)).filter(
    (row) =>
      (!options.q || containsIgnoringCase(row.packageName, options.q)) &&
      (options.filter === 'all' ||
        (row.upgradableVersion !== null &&
          (options.filter === 'upgradable' || row.upgradeType === SECURITY_UPGRADE))),
  );
  const compare = comparators[options.sort];
  return sortYielding(
    rows,
    options.descending && options.sort !== 'default' ? (a, b) => compare(b, a) : compare,
  );
}

/** Rows per query while reading one owner's package rows. */
const READ_ROWS = 2000;

/**
 * Every package row of one host or image, unsorted: in pages on the (owner, package) index, so
 * that a host of many packages is not read in one long query. The owner's rows come first
 * whatever the statistics say (a page must not start from the packages).
 */
export async function readInventoryPackages(
  database: Database,
  kind: 'hosts' | 'images',
  ownerId: number,
): Promise<InventoryPackageRow[]> {
  const t = database.tables;
  const table = kind === 'hosts' ? t.hostPackages : t.imagePackages;
  const owner = sql.raw(kind === 'hosts' ? 'host_id' : 'image_id');
  type Read = InventoryPackageRow & { packageId: number } & Record<string, unknown>;
  const rows: InventoryPackageRow[] = [];
  const keys: SortKey<Read>[] = [{ column: sql`x.package_id`, of: (row) => row.packageId }];
  const pages = keysetPages(keys, READ_ROWS, (position, limit) =>
    database.sql.selectSql<Read>(
      sql`SELECT x.package_id AS packageId, p.name AS packageName, v.version AS version,
            u.version AS upgradableVersion, x.upgrade_type AS upgradeType, x.upgrade_since AS upgradeSince
          FROM ${table} x
          ${database.spelling.joinInOrder} ${t.packages} p ON p.id = x.package_id
          ${database.spelling.joinInOrder} ${t.packageVersions} v ON v.id = x.package_version_id
          LEFT JOIN ${t.packageVersions} u ON u.id = x.upgradable_version_id
          WHERE x.${owner} = ${ownerId}${position ? sql` AND ${position}` : sql``}
          ORDER BY x.package_id LIMIT ${limit}`,
    ),
  );
  for await (const page of pages)
    for (const { packageName, version, upgradableVersion, upgradeType, upgradeSince } of page)
      rows.push({
        packageName,
        version,
        upgradableVersion,
        upgradeType,
        upgradeSince: upgradeSince === null ? null : new Date(toMillis(upgradeSince) as number),
      });
  return rows;
}
