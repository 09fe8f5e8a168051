/**
 * The dashboard's fleet-wide "packages/versions with upgrades" figures over HOST rows only
 * (checklist item 72). They are distinct counts over host_packages (15 million rows at 10,000
 * hosts × 1,500 packages), which the per-package counters (hosts plus images) cannot give, far too
 * slow per request: they are computed in the background, in chunks of package ids over the
 * (upgradable_package_id, upgrade_type) index (the event loop stays free between chunks), and kept
 * for a short while. The packages list no longer uses this: it reads packages' counters.
 */
import { asc, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

/** Fleet-wide upgrade figures over host rows (the dashboard's "with upgrades" cards). */
export interface HostUpgradeSummary {
  packages: number;
  securityPackages: number;
  versions: number;
  securityVersions: number;
}

export interface PackageIndex {
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
  const packages = await db.select({ id: t.packages.id }).from(t.packages).orderBy(asc(t.packages.id));
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
    if (dialect.name === 'sqlite') await yieldToEventLoop();
  }
  return { hostUpgrades, takenAt };
}
