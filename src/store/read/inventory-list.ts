/**
 * The hosts and images lists: both tables carry package counters kept by ingest, so a page sorts,
 * filters and counts on indexed columns without touching the millions of package rows.
 */
import { and, asc, count, desc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { ListOptions, Page } from './list-options.ts';

export const INVENTORY_SORTS = [
  'default',
  'name',
  'os',
  'modified',
  'packages',
  'upgrades',
  'security',
] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

/** One host or image as the lists show it. */
export interface InventoryRow {
  id: number;
  name: string;
  os: string;
  packageCount: number;
  upgradeCount: number;
  securityCount: number;
  modified: Date;
}

/** Lists hosts (`kind: 'hosts'`) or images, one page at a time. */
export async function listInventory(
  database: Database,
  kind: 'hosts' | 'images',
  options: ListOptions<InventorySort>,
): Promise<Page<InventoryRow>> {
  const { db, tables, dialect } = database;
  const table = kind === 'hosts' ? tables.hosts : tables.images;
  const os = tables.operatingSystems;
  const conditions: SQL[] = [];
  if (options.q) {
    const matches = or(
      dialect.containsIgnoringCase(table.name, options.q),
      dialect.containsIgnoringCase(os.name, options.q),
    );
    if (matches) conditions.push(matches);
  }
  if (options.filter === 'upgradable') conditions.push(gt(table.upgradeCount, 0));
  if (options.filter === 'security') conditions.push(gt(table.securityCount, 0));
  const where = conditions.length > 0 ? and(...conditions) : undefined;

  const direction = options.descending ? desc : asc;
  const columns = {
    name: table.name,
    os: os.name,
    modified: table.modified,
    packages: table.packageCount,
    upgrades: table.upgradeCount,
    security: table.securityCount,
  };
  const order =
    options.sort === 'default'
      ? [desc(table.securityCount), desc(table.upgradeCount), desc(table.packageCount), asc(table.name)]
      : options.sort === 'name'
        ? [direction(table.name)]
        : [direction(columns[options.sort]), asc(table.name)];

  const [rows, totals] = await Promise.all([
    db
      .select({
        id: table.id,
        name: table.name,
        os: os.name,
        packageCount: table.packageCount,
        upgradeCount: table.upgradeCount,
        securityCount: table.securityCount,
        modified: table.modified,
      })
      .from(table)
      .innerJoin(os, eq(os.id, table.osId))
      .where(where)
      .orderBy(...order)
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(table).innerJoin(os, eq(os.id, table.osId)).where(where),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}
