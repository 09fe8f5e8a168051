/**
 * The hosts and images lists: both tables carry package counters kept by ingest, so a page sorts,
 * filters and counts on indexed columns without touching the millions of package rows.
 */
import { and, count, eq, gt, gte, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { DEFAULT_LIVENESS, livenessCutoffs } from '../../domain/liveness.ts';
import { exportPages, readPage, type SortKey } from './keyset.ts';
import {
  EXPOSURE_FILTER_DAYS,
  type ExportOptions,
  type ExposureFilter,
  type ListOptions,
  type Page,
} from './list-options.ts';

export const INVENTORY_SORTS = [
  'default',
  'name',
  'os',
  'modified',
  'packages',
  'upgrades',
  'security',
  'exposed',
  'patched',
  'cves',
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
  /** CVEs with a fix available, and of those the high- or medium-urgency ones (docs/cve.md). */
  cveFixable: number;
  cveUrgent: number;
  modified: Date;
  /** Hosts only (docs/reboot.md). */
  rebootRequired?: boolean;
  lastFullReport?: Date | null;
  /** needrestart's KSTA code (src/domain/kernel-state.ts). */
  kernelState?: number;
  /** When its oldest pending security upgrade was first seen (docs/history.md). */
  securitySince: Date | null;
  /** Its last package upgrade. */
  lastUpgraded: Date | null;
}

/** Sort values of the NULLs of the history columns: no exposure sorts after every exposure, never patched first. */
const NEVER = new Date('9999-12-31T00:00:00Z');
const EPOCH = new Date(0);

/** A date as the database binds it in raw SQL (for the sort expressions over the history columns). */
const stampOf = (database: Database, date: Date) => database.spelling.timestampParam(date);

/**
 * The times the liveness filters compare with: before `stale` a full report is stale, before `silent`
 * any report; `now`, what the exposure filters count days from (the current time when absent).
 */
export type LivenessCutoffs = { stale: Date; silent: Date; now?: Date };

/** Lists hosts (`kind: 'hosts'`) or images, one page at a time. */
export async function listInventory(
  database: Database,
  kind: 'hosts' | 'images',
  options: ListOptions<InventorySort>,
  cutoffs?: LivenessCutoffs,
): Promise<Page<InventoryRow>> {
  const query = inventoryQuery(database, kind, options, cutoffs);
  const total = database.db
    .select({ total: count() })
    .from(query.table)
    .innerJoin(query.os, eq(query.os.id, query.table.osId))
    .where(query.where);
  return readPage(query, options, total);
}

/** Every host or image of the list in its order, `pageRows` at a time (exports). */
export function pageInventory(
  database: Database,
  kind: 'hosts' | 'images',
  options: ExportOptions<InventorySort>,
  pageRows: number,
  cutoffs?: LivenessCutoffs,
): AsyncGenerator<InventoryRow[]> {
  return exportPages(inventoryQuery(database, kind, options, cutoffs), pageRows);
}

/** The list's filters and its sort keys, which end with the (unique) name. */
function inventoryQuery(
  database: Database,
  kind: 'hosts' | 'images',
  options: ExportOptions<InventorySort>,
  cutoffs: LivenessCutoffs = livenessCutoffs(new Date(), DEFAULT_LIVENESS),
) {
  const { db, tables, spelling } = database;
  const table = kind === 'hosts' ? tables.hosts : tables.images;
  const os = tables.operatingSystems;
  const conditions: SQL[] = [];
  if (options.q) {
    const matches = or(
      spelling.containsIgnoringCase(table.name, options.q),
      spelling.containsIgnoringCase(os.name, options.q),
    );
    if (matches) conditions.push(matches);
  }
  if (options.filter === 'upgradable') conditions.push(gt(table.upgradeCount, 0));
  if (options.filter === 'security') conditions.push(gt(table.securityCount, 0));
  if (options.filter === 'fixable') conditions.push(gt(table.cveFixable, 0));
  if (options.filter === 'urgent') conditions.push(gt(table.cveUrgent, 0));
  if (kind === 'hosts') {
    const h = tables.hosts;
    const condition = {
      reboot: eq(h.rebootRequired, 1),
      reporting: and(gte(h.lastFullReport, cutoffs.stale), gte(h.modified, cutoffs.silent)),
      stale: and(
        gte(h.modified, cutoffs.silent),
        or(isNull(h.lastFullReport), lt(h.lastFullReport, cutoffs.stale)),
      ),
      silent: lt(h.modified, cutoffs.silent),
      // Expected hosts without a row are listed by the route, from the expected-hosts file.
      never_reported: sql`1 = 0`,
    }[options.filter as string];
    if (condition) conditions.push(condition);
  }
  const now = cutoffs.now ?? new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  if (options.filter === 'unpatched_30d')
    conditions.push(
      or(
        isNull(table.lastUpgraded),
        lt(table.lastUpgraded, daysAgo(EXPOSURE_FILTER_DAYS.unpatched_30d)),
      ) as SQL,
    );
  else if (options.filter in EXPOSURE_FILTER_DAYS)
    conditions.push(lt(table.securitySince, daysAgo(EXPOSURE_FILTER_DAYS[options.filter as ExposureFilter])));
  const where = conditions.length > 0 ? and(...conditions) : undefined;

  const descending = options.descending;
  const byName: SortKey<InventoryRow> = { column: table.name, of: (row) => row.name };
  const columns: Record<Exclude<InventorySort, 'default' | 'name'>, SortKey<InventoryRow>> = {
    os: { column: os.name, descending, of: (row) => row.os },
    modified: { column: table.modified, descending, of: (row) => row.modified },
    packages: { column: table.packageCount, descending, of: (row) => row.packageCount },
    upgrades: { column: table.upgradeCount, descending, of: (row) => row.upgradeCount },
    security: { column: table.securityCount, descending, of: (row) => row.securityCount },
    // Ascending: the longest exposed first; hosts without a pending security upgrade last.
    exposed: {
      column: sql`COALESCE(${table.securitySince}, ${stampOf(database, NEVER)})`,
      descending,
      of: (row) => stampOf(database, row.securitySince ?? NEVER),
    },
    patched: {
      column: sql`COALESCE(${table.lastUpgraded}, ${stampOf(database, EPOCH)})`,
      descending,
      of: (row) => stampOf(database, row.lastUpgraded ?? EPOCH),
    },
    cves: { column: table.cveFixable, descending, of: (row) => row.cveFixable },
  };
  const keys: SortKey<InventoryRow>[] =
    options.sort === 'default'
      ? [
          { ...columns.security, descending: true },
          { ...columns.upgrades, descending: true },
          { ...columns.packages, descending: true },
          byName,
        ]
      : options.sort === 'name'
        ? [{ ...byName, descending }]
        : [columns[options.sort], byName];
  return {
    table,
    os,
    where,
    keys,
    select: (condition: SQL | undefined) =>
      db
        .select({
          id: table.id,
          name: table.name,
          os: os.name,
          packageCount: table.packageCount,
          upgradeCount: table.upgradeCount,
          securityCount: table.securityCount,
          cveFixable: table.cveFixable,
          cveUrgent: table.cveUrgent,
          modified: table.modified,
          securitySince: table.securitySince,
          lastUpgraded: table.lastUpgraded,
          ...(kind === 'hosts'
            ? {
                rebootRequired: sql<boolean>`${tables.hosts.rebootRequired} = 1`.mapWith(Boolean),
                lastFullReport: tables.hosts.lastFullReport,
                kernelState: tables.hosts.kernelState,
              }
            : {}),
        })
        .from(table)
        .innerJoin(os, eq(os.id, table.osId))
        .where(condition),
  };
}
