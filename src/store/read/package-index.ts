/**
 * Two in-memory snapshots, for what pages cannot afford to compute per request, each refreshed in
 * the background once older than its maximum age:
 *
 * - The package index: every package with its counts (hosts plus images, read from the folded
 *   counts plus the pending deltas, ./package-counts.ts, in chunks of package ids) and its number
 *   of versions, for the packages list's count sorts and upgrade filters. Cheap, so it is
 *   kept PACKAGE_INDEX_MAX_AGE_MS (5 s): the list's order and filters may lag behind by that much
 *   plus one refresh; the counts a page shows are read exactly for its own rows.
 * - The dashboard's fleet-wide "packages/versions with upgrades" figures over HOST rows only (as
 *   upstream's dashboard counts them; docs/architecture.md, "Package counts"): distinct counts over
 *   host_packages (15 million rows at 10,000 hosts × 1,500 packages) that the per-package counts
 *   cannot give, computed in chunks of package ids over the (upgradable_package_id, upgrade_type)
 *   index (the event loop stays free between chunks) and kept HOST_UPGRADES_MAX_AGE_MS (a minute).
 *
 * The store keeps them (./read-snapshots.ts): a stale snapshot is served while its refresh runs,
 * unless it is older than PACKAGE_INDEX_WAIT_AFTER_MS (after an idle spell): then the caller waits
 * for the fresh one.
 */
import { asc, between, count, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { keysetPages, type SortKey } from './keyset.ts';
import { readPackageCounts } from './package-counts.ts';
import { readPackageFixableCves } from './package-cves.ts';
import { isSecurityUpgrade } from './security-upgrade.ts';

/** One package with the counts the list sorts by. */
export interface PackageIndexEntry {
  id: number;
  name: string;
  installed: number;
  upgrades: number;
  security: number;
  versions: number;
  /** The source packages its versions are built from (one, unless a binary moved between sources). */
  sources: number[];
  /** CVEs with a fix available for its source versions in the fleet (./package-cves.ts). */
  cves: number;
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
  takenAt: number;
}

export const PACKAGE_INDEX_MAX_AGE_MS = 5_000;
export const PACKAGE_INDEX_WAIT_AFTER_MS = 60_000;
export const HOST_UPGRADES_MAX_AGE_MS = 60_000;
/** Package ids per counting query: a chunk reads at most CHUNK × fleet-size index entries. */
const CHUNK = 64;

/** Packages per chunk while building the package index. */
const INDEX_CHUNK = 5000;

/**
 * Builds the package index from scratch, a chunk of packages (by id) at a time with a turn of the
 * event loop between chunks: read at once, 300,000 packages held every request for a second.
 */
export async function buildPackageIndex(database: Database): Promise<PackageIndex> {
  const { db, tables: t } = database;
  const takenAt = Date.now();
  const entries: PackageIndexEntry[] = [];
  const keys: SortKey<{ id: number; name: string }>[] = [{ column: t.packages.id, of: (row) => row.id }];
  const chunks = keysetPages(keys, INDEX_CHUNK, (position, limit) =>
    db
      .select({ id: t.packages.id, name: t.packages.name })
      .from(t.packages)
      .where(position)
      .orderBy(asc(t.packages.id))
      .limit(limit),
  );
  for await (const packages of chunks) {
    const ids = packages.map((row) => row.id);
    const pv = t.packageVersions;
    const spv = t.srcPackageVersions;
    const [counts, versions] = await Promise.all([
      readPackageCounts(database, ids),
      // By package and source: the source index (./source-index.ts) groups the counts by source.
      db
        .select({ id: pv.packageId, source: spv.srcPackageId, n: count() })
        .from(pv)
        .innerJoin(spv, eq(spv.id, pv.srcPackageVersionId))
        .where(between(pv.packageId, ids[0] ?? 0, ids[ids.length - 1] ?? 0))
        .groupBy(pv.packageId, spv.srcPackageId),
    ]);
    const byPackage = new Map<number, { versions: number; sources: number[] }>();
    for (const row of versions) {
      const entry = byPackage.get(row.id) ?? { versions: 0, sources: [] };
      entry.versions += row.n;
      entry.sources.push(row.source);
      byPackage.set(row.id, entry);
    }
    for (const { id, name } of packages)
      entries.push({
        id,
        name,
        ...(counts.get(id) ?? { installed: 0, upgrades: 0, security: 0 }),
        versions: byPackage.get(id)?.versions ?? 0,
        sources: byPackage.get(id)?.sources ?? [],
        cves: 0,
      });
  }
  const cves = await readPackageFixableCves(database);
  if (cves) for (const entry of entries) entry.cves = cves.get(entry.id) ?? 0;
  return { entries, takenAt };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Computes the dashboard's host upgrade figures from scratch. */
export async function buildHostUpgradeSummary(database: Database): Promise<HostUpgradeSummary> {
  const { db, tables: t } = database;
  const packages = await db.select({ id: t.packages.id }).from(t.packages).orderBy(asc(t.packages.id));
  const hostUpgrades: HostUpgradeSummary = {
    packages: 0,
    securityPackages: 0,
    versions: 0,
    securityVersions: 0,
  };
  const hp = t.hostPackages;
  const isSecurity = isSecurityUpgrade(hp.upgradeType);
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
    if (database.kind === 'sqlite') await yieldToEventLoop();
  }
  return hostUpgrades;
}
