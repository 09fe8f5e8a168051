/**
 * The dashboard figures (docs/architecture.md, "Package counts"). Host and image figures come from the
 * counters ingest keeps on each row. The binary and source packages with upgrades come from the
 * package and source indexes (hosts plus images, a few seconds old at most), so that each figure
 * equals the total of the filtered list it links to; the versions with upgrades (host rows only, as
 * upstream's dashboard counts them) come from the host upgrade summary, built in the background
 * (./package-index.ts), so they may lag by up to a minute. `security` is by equality everywhere.
 */
import { count, gt, max, min, sql, sum } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { currentFeed } from '../cve/feed-dataset.ts';
import type { Store } from '../store.ts';

export interface Dashboard {
  hosts: {
    total: number;
    withUpgrades: number;
    withSecurity: number;
    latest: Date | null;
    oldest: Date | null;
  };
  images: {
    total: number;
    withUpgrades: number;
    withSecurity: number;
    latest: Date | null;
    oldest: Date | null;
  };
  kernels: number;
  kubernetesImages: number;
  packages: { total: number; withUpgrades: number; withSecurity: number };
  sourcePackages: { total: number; versions: number; withUpgrades: number; withSecurity: number };
  packageVersions: { total: number; withUpgrades: number; withSecurity: number };
  totals: { hostUpgrades: number; imageUpgrades: number; hostSecurity: number; imageSecurity: number };
  /** The security tracker's card (docs/cve.md, "Pages"); null before the first import. */
  cves: {
    feedTime: Date;
    imported: Date;
    hostsFixable: number;
    hostsUrgent: number;
    imagesFixable: number;
    imagesUrgent: number;
    /** CVEs with a fix available on at least one host or image. */
    fixable: number;
  } | null;
}

const toDate = (value: Date | number | string | null | undefined) =>
  value === null || value === undefined ? null : value instanceof Date ? value : new Date(value);

/** Reads every figure of the dashboard. */
export async function readDashboard(store: Store): Promise<Dashboard> {
  const { database } = store;
  const { db, tables: t } = database;
  const owners = (table: typeof t.hosts | typeof t.images) =>
    db
      .select({
        total: count(),
        withUpgrades: sum(sql`case when ${table.upgradeCount} > 0 then 1 else 0 end`).mapWith(Number),
        withSecurity: sum(sql`case when ${table.securityCount} > 0 then 1 else 0 end`).mapWith(Number),
        upgrades: sum(table.upgradeCount).mapWith(Number),
        security: sum(table.securityCount).mapWith(Number),
        latest: max(table.modified),
        oldest: min(table.modified),
        withCveFixable: sum(sql`case when ${table.cveFixable} > 0 then 1 else 0 end`).mapWith(Number),
        withCveUrgent: sum(sql`case when ${table.cveUrgent} > 0 then 1 else 0 end`).mapWith(Number),
      })
      .from(table);
  const [
    [hosts],
    [images],
    [kernels],
    [kubernetes],
    [packages],
    [sources],
    [sourceVersions],
    [versions],
    hostUpgrades,
    packageIndex,
    sourceIndex,
    feed,
    [fixableCves],
  ] = await Promise.all([
    owners(t.hosts),
    owners(t.images),
    db.select({ n: count() }).from(t.kernels),
    db.select({ n: count() }).from(t.kubernetesImages),
    db.select({ n: count() }).from(t.packages),
    db.select({ n: count() }).from(t.srcPackages),
    db.select({ n: count() }).from(t.srcPackageVersions),
    db.select({ n: count() }).from(t.packageVersions),
    store.snapshots.hostUpgradeSummary(),
    store.snapshots.packageIndex(),
    store.snapshots.sourceIndex(),
    currentFeed(database),
    db.select({ n: count() }).from(t.cveFleet).where(gt(t.cveFleet.fixable, 0)),
  ]);
  const withCounts = (entries: { upgrades: number; security: number }[]) => {
    let withUpgrades = 0;
    let withSecurity = 0;
    for (const entry of entries) {
      if (entry.upgrades > 0) withUpgrades++;
      if (entry.security > 0) withSecurity++;
    }
    return { withUpgrades, withSecurity };
  };
  const summarize = (row: typeof hosts) => ({
    total: row?.total ?? 0,
    withUpgrades: row?.withUpgrades ?? 0,
    withSecurity: row?.withSecurity ?? 0,
    latest: toDate(row?.latest),
    oldest: toDate(row?.oldest),
  });
  return {
    hosts: summarize(hosts),
    images: summarize(images),
    kernels: kernels?.n ?? 0,
    kubernetesImages: kubernetes?.n ?? 0,
    packages: { total: packages?.n ?? 0, ...withCounts(packageIndex.entries) },
    sourcePackages: {
      total: sources?.n ?? 0,
      versions: sourceVersions?.n ?? 0,
      ...withCounts(sourceIndex.entries),
    },
    packageVersions: {
      total: versions?.n ?? 0,
      withUpgrades: hostUpgrades.versions,
      withSecurity: hostUpgrades.securityVersions,
    },
    totals: {
      hostUpgrades: hosts?.upgrades ?? 0,
      imageUpgrades: images?.upgrades ?? 0,
      hostSecurity: hosts?.security ?? 0,
      imageSecurity: images?.security ?? 0,
    },
    cves: feed
      ? {
          feedTime: feed.feedTime,
          imported: feed.imported,
          hostsFixable: hosts?.withCveFixable ?? 0,
          hostsUrgent: hosts?.withCveUrgent ?? 0,
          imagesFixable: images?.withCveFixable ?? 0,
          imagesUrgent: images?.withCveUrgent ?? 0,
          fixable: fixableCves?.n ?? 0,
        }
      : null,
  };
}

/** True when no host and no image has reported yet (pages then show how to get started). */
export async function isInventoryEmpty(database: Database): Promise<boolean> {
  const { db, tables: t } = database;
  const [[host], [image]] = await Promise.all([
    db.select({ id: t.hosts.id }).from(t.hosts).limit(1),
    db.select({ id: t.images.id }).from(t.images).limit(1),
  ]);
  return !host && !image;
}
