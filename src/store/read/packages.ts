/**
 * Binary packages: the list (counts add hosts and images, spec §3.5 item 6), one package's versions
 * with their counts, and the hosts and images that have it installed.
 */
import { asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import {
  compareBinary,
  containsIgnoringCase,
  type ListOptions,
  type Page,
  slicePage,
} from './list-options.ts';
import { type PackageCounts, readPackageCounts } from './package-counts.ts';
import { getPackageIndex, type PackageIndexEntry } from './package-index.ts';

export const PACKAGE_SORTS = ['default', 'name', 'installed', 'upgrades', 'security', 'versions'] as const;
export type PackageSort = (typeof PACKAGE_SORTS)[number];

export type { PackageCounts } from './package-counts.ts';

export interface PackageRow extends PackageCounts {
  id: number;
  name: string;
  versionCount: number;
  /** Distinct OS names of its versions, sorted. */
  oses: string[];
}

const byDefault = (a: PackageIndexEntry, b: PackageIndexEntry) =>
  b.security - a.security ||
  b.upgrades - a.upgrades ||
  b.installed - a.installed ||
  compareBinary(a.name, b.name);

/**
 * Lists binary packages. Sorted by name without an upgrade filter, the page comes straight from the
 * packages table; any other order or filter uses the package index (./package-index.ts, a few seconds
 * old at most). Either way the page's counts are then read exactly, for its ids only
 * (./package-counts.ts: the folded counts plus the pending deltas).
 */
export async function listPackages(
  database: Database,
  options: ListOptions<PackageSort>,
): Promise<Page<PackageRow>> {
  const { db, tables: t, dialect } = database;
  let page: Page<{ id: number; name: string }>;
  if (options.sort === 'name' && options.filter === 'all') {
    const where = options.q ? dialect.containsIgnoringCase(t.packages.name, options.q) : undefined;
    const [rows, totals] = await Promise.all([
      db
        .select({ id: t.packages.id, name: t.packages.name })
        .from(t.packages)
        .where(where)
        .orderBy(options.descending ? desc(t.packages.name) : asc(t.packages.name))
        .limit(options.limit)
        .offset(options.offset),
      db.select({ total: count() }).from(t.packages).where(where),
    ]);
    page = { rows, total: totals[0]?.total ?? 0 };
  } else {
    const index = await getPackageIndex(database);
    const entries = index.entries.filter(
      (entry) =>
        (!options.q || containsIgnoringCase(entry.name, options.q)) &&
        (options.filter === 'all' ||
          (options.filter === 'upgradable' ? entry.upgrades > 0 : entry.security > 0)),
    );
    const key = options.sort;
    const compare =
      key === 'default'
        ? byDefault
        : key === 'name'
          ? (a: PackageIndexEntry, b: PackageIndexEntry) => compareBinary(a.name, b.name)
          : (a: PackageIndexEntry, b: PackageIndexEntry) => a[key] - b[key] || compareBinary(a.name, b.name);
    entries.sort(options.descending && key !== 'default' ? (a, b) => compare(b, a) : compare);
    page = slicePage(entries, options);
  }
  const ids = page.rows.map((row) => row.id);
  const [counts, versions] = await Promise.all([
    readPackageCounts(database, ids),
    readVersionOses(database, ids),
  ]);
  return {
    total: page.total,
    rows: page.rows.map(({ id, name }) => ({
      id,
      name,
      ...(counts.get(id) ?? { installed: 0, upgrades: 0, security: 0 }),
      versionCount: versions.get(id)?.count ?? 0,
      oses: versions.get(id)?.oses ?? [],
    })),
  };
}

async function readVersionOses(
  database: Database,
  ids: number[],
): Promise<Map<number, { count: number; oses: string[] }>> {
  const { db, tables: t } = database;
  const result = new Map<number, { count: number; oses: string[] }>();
  if (ids.length === 0) return result;
  const rows = await db
    .select({ id: t.packageVersions.packageId, os: t.operatingSystems.name, n: count() })
    .from(t.packageVersions)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.packageVersions.osId))
    .where(inArray(t.packageVersions.packageId, ids))
    .groupBy(t.packageVersions.packageId, t.operatingSystems.name);
  for (const row of rows) {
    const entry = result.get(row.id) ?? { count: 0, oses: [] };
    entry.count += row.n;
    entry.oses.push(row.os);
    result.set(row.id, entry);
  }
  for (const entry of result.values()) entry.oses.sort(compareBinary);
  return result;
}

/** Finds a binary package by its exact name. */
export async function findPackage(
  database: Database,
  name: string,
): Promise<{ id: number; name: string } | null> {
  const { db, tables: t } = database;
  const [row] = await db
    .select({ id: t.packages.id, name: t.packages.name })
    .from(t.packages)
    .where(eq(t.packages.name, name))
    .limit(1);
  return row ?? null;
}

/** One version of a package with its counts over hosts and images. */
export interface PackageVersionSummary extends PackageCounts {
  id: number;
  version: string;
  osId: number;
  os: string;
  source: string;
}

/**
 * The versions of a package in display order (OS name, then Debian version), each with: installed
 * (rows with this version installed), upgrades (rows whose candidate is this version), security.
 */
export async function listPackageVersions(
  database: Database,
  packageId: number,
): Promise<PackageVersionSummary[]> {
  const { db, tables: t } = database;
  const pv = t.packageVersions;
  const versions = await db
    .select({
      id: pv.id,
      version: pv.version,
      osId: pv.osId,
      os: t.operatingSystems.name,
      source: t.srcPackages.name,
    })
    .from(pv)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, pv.osId))
    .innerJoin(t.srcPackageVersions, eq(t.srcPackageVersions.id, pv.srcPackageVersionId))
    .innerJoin(t.srcPackages, eq(t.srcPackages.id, t.srcPackageVersions.srcPackageId))
    .where(eq(pv.packageId, packageId));
  const ids = versions.map((version) => version.id);
  // Counting by version id reads the (package_version_id) and (upgradable_version_id) indexes
  // alone; grouping the package's rows by version would fetch every row (10,000 for libc6).
  const counts =
    ids.length === 0
      ? []
      : await Promise.all(
          [t.hostPackages, t.imagePackages].flatMap((table) => [
            db
              .select({
                id: table.packageVersionId,
                n: count(),
                security: sql<number>`0`.mapWith(Number),
                kind: sql<string>`'installed'`,
              })
              .from(table)
              .where(inArray(table.packageVersionId, ids))
              .groupBy(table.packageVersionId),
            db
              .select({
                id: sql<number>`${table.upgradableVersionId}`.mapWith(Number),
                n: count(),
                security:
                  sql<number>`sum(case when ${table.upgradeType} = 'security' then 1 else 0 end)`.mapWith(
                    Number,
                  ),
                kind: sql<string>`'upgrades'`,
              })
              .from(table)
              .where(inArray(table.upgradableVersionId, ids))
              .groupBy(table.upgradableVersionId),
          ]),
        );
  const byId = new Map<number, PackageVersionSummary>(
    versions.map((row) => [row.id, { ...row, installed: 0, upgrades: 0, security: 0 }]),
  );
  for (const rows of counts) {
    for (const row of rows) {
      const entry = byId.get(row.id);
      if (!entry) continue;
      if (row.kind === 'installed') entry.installed += row.n;
      else {
        entry.upgrades += row.n;
        entry.security += row.security;
      }
    }
  }
  return [...byId.values()].sort(
    (a, b) => compareBinary(a.os, b.os) || compareDebianVersions(a.version, b.version),
  );
}

export const INSTALLATION_SORTS = ['default', 'name'] as const;
export type InstallationSort = (typeof INSTALLATION_SORTS)[number];

/** A host or image that has a package installed. */
export interface InstallationRow {
  kind: 'host' | 'image';
  name: string;
  versionId: number;
  upgradableVersion: string | null;
  upgradeType: string | null;
}

/**
 * Lists the hosts, then the images, that have a package installed, in the order of `versions`
 * (OS, then Debian version: the rank is computed here and handed to SQL), then by name.
 */
export async function listPackageInstallations(
  database: Database,
  packageId: number,
  versions: { id: number }[],
  options: ListOptions<InstallationSort>,
): Promise<Page<InstallationRow>> {
  const t = database.tables;
  const rank =
    versions.length === 0
      ? sql`0`
      : sql`CASE x.package_version_id ${sql.join(
          versions.map((version, index) => sql`WHEN ${version.id} THEN ${index} `),
          sql``,
        )}ELSE ${versions.length} END`;
  const branch = (kind: 'host' | 'image') => {
    const table = kind === 'host' ? t.hostPackages : t.imagePackages;
    const owners = kind === 'host' ? t.hosts : t.images;
    const ownerColumn = sql.raw(kind === 'host' ? 'x.host_id' : 'x.image_id');
    const conditions: SQL[] = [sql`x.package_id = ${packageId}`];
    if (options.filter !== 'all') conditions.push(sql`x.upgradable_version_id IS NOT NULL`);
    if (options.filter === 'security') conditions.push(sql`x.upgrade_type = 'security'`);
    if (options.q) conditions.push(database.dialect.containsIgnoringCase(sql`o.name`, options.q));
    const where = sql.join(conditions, sql` AND `);
    return {
      rows: sql`SELECT ${kind} AS kind, o.name AS name, x.package_version_id AS versionId,
          u.version AS upgradableVersion, x.upgrade_type AS upgradeType, ${rank} AS versionRank
        FROM ${table} x
        JOIN ${owners} o ON o.id = ${ownerColumn}
        LEFT JOIN ${t.packageVersions} u ON u.id = x.upgradable_version_id
        WHERE ${where}`,
      count: sql`SELECT count(*) AS n FROM ${table} x JOIN ${owners} o ON o.id = ${ownerColumn} WHERE ${where}`,
    };
  };
  const hosts = branch('host');
  const images = branch('image');
  const direction = sql.raw(options.descending ? 'DESC' : 'ASC');
  const order = options.sort === 'name' ? sql`name ${direction}, kind` : sql`versionRank, kind, name`;
  const { dialect, db } = database;
  const [rows, hostTotal, imageTotal] = await Promise.all([
    dialect.selectRows<InstallationRow & { versionRank: number } & Record<string, unknown>>(
      db,
      sql`${hosts.rows} UNION ALL ${images.rows} ORDER BY ${order} LIMIT ${options.limit} OFFSET ${options.offset}`,
    ),
    dialect.selectRows<{ n: number }>(db, hosts.count),
    dialect.selectRows<{ n: number }>(db, images.count),
  ]);
  return {
    rows: rows.map((row) => ({
      kind: row.kind,
      name: row.name,
      versionId: Number(row.versionId),
      upgradableVersion: row.upgradableVersion,
      upgradeType: row.upgradeType,
    })),
    total: Number(hostTotal[0]?.n ?? 0) + Number(imageTotal[0]?.n ?? 0),
  };
}
