/**
 * The dashboard figures (spec §3.5 item 1, checklist item 72). Host and image figures come from the
 * counters ingest keeps on each row; the package figures read only rows with an upgrade, through the
 * upgrade indexes, so the cost follows the number of pending upgrades, not the fleet size. As in the
 * checklist, the "packages/versions with upgrades" figures count host rows only.
 */
import { count, max, min, sql, sum } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';

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
  sourcePackages: { total: number; versions: number };
  packageVersions: { total: number; withUpgrades: number; withSecurity: number };
  totals: { hostUpgrades: number; imageUpgrades: number; hostSecurity: number; imageSecurity: number };
}

const toDate = (value: Date | number | string | null | undefined) =>
  value === null || value === undefined ? null : value instanceof Date ? value : new Date(value);

/** Reads every figure of the dashboard. */
export async function readDashboard(database: Database): Promise<Dashboard> {
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
    packageUpgrades,
    versionUpgrades,
  ] = await Promise.all([
    owners(t.hosts),
    owners(t.images),
    db.select({ n: count() }).from(t.kernels),
    db.select({ n: count() }).from(t.kubernetesImages),
    db.select({ n: count() }).from(t.packages),
    db.select({ n: count() }).from(t.srcPackages),
    db.select({ n: count() }).from(t.srcPackageVersions),
    db.select({ n: count() }).from(t.packageVersions),
    countWithUpgrades(database, 'packages'),
    countWithUpgrades(database, 'versions'),
  ]);
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
    packages: { total: packages?.n ?? 0, ...packageUpgrades },
    sourcePackages: { total: sources?.n ?? 0, versions: sourceVersions?.n ?? 0 },
    packageVersions: { total: versions?.n ?? 0, ...versionUpgrades },
    totals: {
      hostUpgrades: hosts?.upgrades ?? 0,
      imageUpgrades: images?.upgrades ?? 0,
      hostSecurity: hosts?.security ?? 0,
      imageSecurity: images?.security ?? 0,
    },
  };
}

/**
 * Packages (or package versions) that are the candidate of at least one host row, and of at least
 * one security upgrade. One index probe per package or version (EXISTS), instead of a DISTINCT over
 * every pending upgrade of the fleet. Upstream matched a `security` prefix here and equality
 * elsewhere (spec §9 item 18): equality everywhere.
 */
async function countWithUpgrades(
  database: Database,
  of: 'packages' | 'versions',
): Promise<{ withUpgrades: number; withSecurity: number }> {
  const { tables: t, dialect, db } = database;
  const owner = of === 'packages' ? t.packages : t.packageVersions;
  const column = sql.raw(of === 'packages' ? 'upgradable_package_id' : 'upgradable_version_id');
  const [row] = await dialect.selectRows<{ upgrades: number; security: number }>(
    db,
    sql`SELECT
      sum(CASE WHEN EXISTS (SELECT 1 FROM ${t.hostPackages} hp WHERE hp.${column} = o.id) THEN 1 ELSE 0 END) AS upgrades,
      sum(CASE WHEN EXISTS (SELECT 1 FROM ${t.hostPackages} hp WHERE hp.${column} = o.id AND hp.upgrade_type = 'security')
        THEN 1 ELSE 0 END) AS security
      FROM ${owner} o`,
  );
  return { withUpgrades: Number(row?.upgrades ?? 0), withSecurity: Number(row?.security ?? 0) };
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
