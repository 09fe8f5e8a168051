/**
 * Per-package counts for sorting the packages list by counts. Counting installations means reading
 * every host-package row (15 million at 10,000 hosts × 1,500 packages), far too slow per request,
 * so the counts are computed in the background, in chunks of package ids over the package_id index
 * (the event loop stays free between chunks), and kept for a short while. Pages still show exact
 * counts for their own rows (./package-counts.ts); only the order may lag behind by `maxAgeMs`.
 */
import { asc, count, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

/** One package with the counts the list sorts by. */
export interface PackageIndexEntry {
  id: number;
  name: string;
  installed: number;
  upgrades: number;
  security: number;
  versions: number;
}

/** Fleet-wide upgrade figures over host rows (the dashboard's "with upgrades" cards). */
export interface HostUpgradeSummary {
  packages: number;
  securityPackages: number;
  versions: number;
  securityVersions: number;
}

export interface PackageIndex {
  entries: PackageIndexEntry[];
  hostUpgrades: HostUpgradeSummary;
  takenAt: number;
}

interface CacheSlot {
  index: PackageIndex | null;
  refreshing: Promise<PackageIndex> | null;
}

const slots = new WeakMap<Database, CacheSlot>();
/** Package ids per counting query: a chunk reads at most CHUNK × fleet-size index entries. */
const CHUNK = 64;
export const PACKAGE_INDEX_MAX_AGE_MS = 60_000;

/**
 * Returns the package index of `database`: the cached one, refreshed in the background once older
 * than `maxAgeMs`; the first call waits for it to be built.
 */
export async function getPackageIndex(
  database: Database,
  maxAgeMs = PACKAGE_INDEX_MAX_AGE_MS,
): Promise<PackageIndex> {
  let slot = slots.get(database);
  if (!slot) {
    slot = { index: null, refreshing: null };
    slots.set(database, slot);
  }
  const current = slot.index;
  if (current && Date.now() - current.takenAt <= maxAgeMs) return current;
  if (!slot.refreshing) {
    const owner = slot;
    owner.refreshing = buildPackageIndex(database)
      .then((index) => {
        owner.index = index;
        return index;
      })
      .finally(() => {
        owner.refreshing = null;
      });
  }
  return current ?? slot.refreshing!;
}

/** Forgets the cached index, so the next call rebuilds it (after a bulk load, in tests and benchmarks). */
export function dropPackageIndex(database: Database): void {
  slots.delete(database);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Builds the index from scratch. */
export async function buildPackageIndex(database: Database): Promise<PackageIndex> {
  const { db, tables: t, dialect } = database;
  const takenAt = Date.now();
  const packages = await db
    .select({ id: t.packages.id, name: t.packages.name })
    .from(t.packages)
    .orderBy(asc(t.packages.id));
  const byId = new Map<number, PackageIndexEntry>();
  for (const row of packages)
    byId.set(row.id, { ...row, installed: 0, upgrades: 0, security: 0, versions: 0 });

  const hostUpgrades: HostUpgradeSummary = {
    packages: 0,
    securityPackages: 0,
    versions: 0,
    securityVersions: 0,
  };
  const hp = t.hostPackages;
  const isSecurity = sql`${hp.upgradeType} = 'security'`;
  for (let start = 0; start < packages.length; start += CHUNK) {
    const first = packages[start]!.id;
    const last = packages[Math.min(start + CHUNK, packages.length) - 1]!.id;
    // A version belongs to one package, so distinct counts over disjoint package chunks add up.
    const [summary] = await db
      .select({
        packages: sql<number>`count(DISTINCT ${hp.upgradablePackageId})`.mapWith(Number),
        securityPackages:
          sql<number>`count(DISTINCT CASE WHEN ${isSecurity} THEN ${hp.upgradablePackageId} END)`.mapWith(
            Number,
          ),
        versions: sql<number>`count(DISTINCT ${hp.upgradableVersionId})`.mapWith(Number),
        securityVersions:
          sql<number>`count(DISTINCT CASE WHEN ${isSecurity} THEN ${hp.upgradableVersionId} END)`.mapWith(
            Number,
          ),
      })
      .from(hp)
      .where(sql`${hp.upgradablePackageId} BETWEEN ${first} AND ${last}`);
    if (summary) {
      hostUpgrades.packages += summary.packages;
      hostUpgrades.securityPackages += summary.securityPackages;
      hostUpgrades.versions += summary.versions;
      hostUpgrades.securityVersions += summary.securityVersions;
    }
    const counts = await db
      .select({ id: t.hostPackages.packageId, n: count() })
      .from(t.hostPackages)
      .where(sql`${t.hostPackages.packageId} BETWEEN ${first} AND ${last}`)
      .groupBy(t.hostPackages.packageId);
    for (const row of counts) {
      const entry = byId.get(row.id);
      if (entry) entry.installed += row.n;
    }
    if (dialect.name === 'sqlite') await yieldToEventLoop();
  }
  const imageCounts = await db
    .select({ id: t.imagePackages.packageId, n: count() })
    .from(t.imagePackages)
    .groupBy(t.imagePackages.packageId);
  for (const row of imageCounts) {
    const entry = byId.get(row.id);
    if (entry) entry.installed += row.n;
  }
  for (const table of [t.hostPackages, t.imagePackages]) {
    // Only rows with an upgrade: the (upgradable_package_id, upgrade_type) index covers this.
    const upgrades = await db
      .select({
        id: table.upgradablePackageId,
        n: count(),
        security: sql<number>`sum(case when ${table.upgradeType} = 'security' then 1 else 0 end)`.mapWith(
          Number,
        ),
      })
      .from(table)
      .where(isNotNull(table.upgradablePackageId))
      .groupBy(table.upgradablePackageId);
    for (const row of upgrades) {
      const entry = row.id === null ? undefined : byId.get(row.id);
      if (!entry) continue;
      entry.upgrades += row.n;
      entry.security += row.security;
    }
  }
  const versions = await db
    .select({ id: t.packageVersions.packageId, n: count() })
    .from(t.packageVersions)
    .groupBy(t.packageVersions.packageId);
  for (const row of versions) {
    const entry = byId.get(row.id);
    if (entry) entry.versions = row.n;
  }
  return { entries: [...byId.values()], hostUpgrades, takenAt };
}
