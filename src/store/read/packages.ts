/**
 * Binary packages: the list (counts add hosts and images; docs/architecture.md, "Package counts"), one package's versions
 * with their counts, and the hosts and images that have it installed.
 */

import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import { SECURITY_UPGRADE } from '../../protocol/report.ts';
import type { Store } from '../store.ts';
import { type CountedNames, listCountedNames, pageCountedNames } from './counted-name-list.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';
import { type PackageCounts, readPackageCounts } from './package-counts.ts';
import { readPackageFixableCves } from './package-cves.ts';
import type { VersionInstallCounts } from './package-installations.ts';
import { countVersionsByOs } from './version-oses.ts';

export const PACKAGE_SORTS = [
  'default',
  'name',
  'installed',
  'upgrades',
  'security',
  'versions',
  'cves',
] as const;
export type PackageSort = (typeof PACKAGE_SORTS)[number];

export type { PackageCounts } from './package-counts.ts';

export interface PackageRow extends PackageCounts {
  id: number;
  name: string;
  versionCount: number;
  /** Distinct OS names of its versions, sorted. */
  oses: string[];
  /** CVEs with a fix available for its source versions in the fleet; null without an import. */
  cves: number | null;
}

/**
 * Lists binary packages. Sorted by name without an upgrade filter, the page comes straight from the
 * packages table; any other order or filter uses the package index (./package-index.ts, a few seconds
 * old at most). Either way the page's counts are then read exactly, for its ids only
 * (./package-counts.ts: the folded counts plus the pending deltas).
 */
export async function listPackages(
  store: Store,
  options: ListOptions<PackageSort>,
): Promise<Page<PackageRow>> {
  const { database } = store;
  const page = await listCountedNames(database, packageNames(store), options);
  return { total: page.total, rows: await withCounts(database, page.rows) };
}

/**
 * Every binary package of the list in its order, `pageRows` at a time (exports): by name, a walk on
 * the name index; else the package index, filtered and sorted in slices (it is in memory already).
 */
export async function* pagePackages(
  store: Store,
  options: ExportOptions<PackageSort>,
  pageRows: number,
): AsyncGenerator<PackageRow[]> {
  const { database } = store;
  for await (const rows of await pageCountedNames(database, packageNames(store), options, pageRows))
    yield await withCounts(database, rows);
}

/** The binary packages' names: the packages table, and the package index. */
function packageNames(store: Store): CountedNames {
  return { table: store.database.tables.packages, index: () => store.snapshots.packageIndex() };
}

/** The rows of a page with their exact counts, numbers of versions and OSes. */
async function withCounts(database: Database, rows: { id: number; name: string }[]): Promise<PackageRow[]> {
  const ids = rows.map((row) => row.id);
  const [counts, versions, cves] = await Promise.all([
    readPackageCounts(database, ids),
    readVersionOses(database, ids),
    readPackageFixableCves(database, ids),
  ]);
  return rows.map(({ id, name }) => ({
    id,
    name,
    ...(counts.get(id) ?? { installed: 0, upgrades: 0, security: 0 }),
    versionCount: versions.get(id)?.count ?? 0,
    oses: versions.get(id)?.oses ?? [],
    cves: cves ? (cves.get(id) ?? 0) : null,
  }));
}

async function readVersionOses(
  database: Database,
  ids: number[],
): Promise<Map<number, { count: number; oses: string[] }>> {
  const result = new Map<number, { count: number; oses: string[] }>();
  for (const row of await countVersionsByOs(database, 'package', ids)) {
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
export interface PackageVersionSummary extends PackageCounts, VersionInstallCounts {
  id: number;
  version: string;
  osId: number;
  os: string;
  source: string;
}

/**
 * The versions of a package in display order (OS name, then Debian version), each with: installed
 * (rows with this version installed), upgrades (rows whose candidate is this version), security;
 * installedOn splits installed between hosts and images.
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
  const counts =
    ids.length === 0
      ? []
      : await Promise.all(
          [t.hostPackages, t.imagePackages].map((table) => countVersionRows(database, table, packageId, ids)),
        );
  const byId = new Map<number, PackageVersionSummary>(
    versions.map((row) => [
      row.id,
      { ...row, installed: 0, upgrades: 0, security: 0, installedOn: { host: 0, image: 0 } },
    ]),
  );
  for (const [index, { installed, upgrades, security }] of counts.entries()) {
    const add = (
      rows: { id: number; n: number }[],
      apply: (entry: PackageVersionSummary, n: number) => void,
    ) => {
      for (const row of rows) {
        const entry = byId.get(row.id);
        if (entry) apply(entry, row.n);
      }
    };
    add(installed, (entry, n) => {
      entry.installed += n;
      entry.installedOn[index === 0 ? 'host' : 'image'] += n;
    });
    add(upgrades, (entry, n) => {
      entry.upgrades += n;
    });
    add(security, (entry, n) => {
      entry.security += n;
    });
  }
  return [...byId.values()].sort(
    (a, b) => compareBinary(a.os, b.os) || compareDebianVersions(a.version, b.version),
  );
}

/**
 * Rows of one package-row table by installed version, by candidate version, and with a security
 * candidate by candidate version. Counting by version id reads the (package_version_id) and
 * (upgradable_version_id) indexes alone, and the security total the upgrade index alone; grouping
 * the package's rows would fetch every row (10,000 for libc6). Only a package with security
 * upgrades to several candidates needs its security rows read, to split them.
 */
async function countVersionRows(
  database: Database,
  table: Database['tables']['hostPackages'] | Database['tables']['imagePackages'],
  packageId: number,
  ids: number[],
) {
  const { db } = database;
  const candidate = sql<number>`${table.upgradableVersionId}`.mapWith(Number);
  const isSecurity = and(eq(table.upgradablePackageId, packageId), eq(table.upgradeType, SECURITY_UPGRADE));
  const [installed, upgrades, totals] = await Promise.all([
    db
      .select({ id: table.packageVersionId, n: count() })
      .from(table)
      .where(inArray(table.packageVersionId, ids))
      .groupBy(table.packageVersionId),
    db
      .select({ id: candidate, n: count() })
      .from(table)
      .where(inArray(table.upgradableVersionId, ids))
      .groupBy(table.upgradableVersionId),
    db.select({ n: count() }).from(table).where(isSecurity),
  ]);
  const total = totals[0]?.n ?? 0;
  const [only] = upgrades;
  const security =
    total === 0
      ? []
      : upgrades.length === 1 && only
        ? [{ id: only.id, n: total }]
        : await db
            .select({ id: candidate, n: count() })
            .from(table)
            .where(isSecurity)
            .groupBy(table.upgradableVersionId);
  return { installed, upgrades, security };
}

export {
  INSTALLATION_SORTS,
  type InstallationRow,
  type InstallationSort,
  listPackageInstallations,
} from './package-installations.ts';
