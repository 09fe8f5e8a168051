/** Source packages: the list with version counts and OSes, and one source package's versions. */

import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import type { ListOptions, Page } from './list-options.ts';

export const SOURCE_PACKAGE_SORTS = ['name', 'versions'] as const;
export type SourcePackageSort = (typeof SOURCE_PACKAGE_SORTS)[number];

export interface SourcePackageRow {
  id: number;
  name: string;
  versionCount: number;
  /** Distinct OS names of its versions, sorted. */
  oses: string[];
}

/** Lists source packages; only the page's rows are aggregated. */
export async function listSourcePackages(
  database: Database,
  options: ListOptions<SourcePackageSort>,
): Promise<Page<SourcePackageRow>> {
  const { db, tables: t, dialect } = database;
  const sp = t.srcPackages;
  const spv = t.srcPackageVersions;
  const where = options.q ? dialect.containsIgnoringCase(sp.name, options.q) : undefined;
  const direction = options.descending ? desc : asc;
  const versionCount = count(spv.id);
  const pageQuery =
    options.sort === 'versions'
      ? db
          .select({ id: sp.id, name: sp.name })
          .from(sp)
          .leftJoin(spv, eq(spv.srcPackageId, sp.id))
          .where(where)
          .groupBy(sp.id, sp.name)
          .orderBy(direction(versionCount), asc(sp.name))
      : db.select({ id: sp.id, name: sp.name }).from(sp).where(where).orderBy(direction(sp.name));
  const [page, totals] = await Promise.all([
    pageQuery.limit(options.limit).offset(options.offset),
    db.select({ total: count() }).from(sp).where(where),
  ]);
  const ids = page.map((row) => row.id);
  const pairs =
    ids.length === 0
      ? []
      : await db
          .select({ id: spv.srcPackageId, os: t.operatingSystems.name, versions: count() })
          .from(spv)
          .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, spv.osId))
          .where(inArray(spv.srcPackageId, ids))
          .groupBy(spv.srcPackageId, t.operatingSystems.name);
  const rows = page.map((row) => {
    const mine = pairs.filter((pair) => pair.id === row.id);
    return {
      ...row,
      versionCount: mine.reduce((sum, pair) => sum + pair.versions, 0),
      oses: mine.map((pair) => pair.os).sort(compareBinary),
    };
  });
  return { rows, total: totals[0]?.total ?? 0 };
}

/** Finds a source package by its exact name. */
export async function findSourcePackage(
  database: Database,
  name: string,
): Promise<{ id: number; name: string } | null> {
  const { db, tables: t } = database;
  const [row] = await db
    .select({ id: t.srcPackages.id, name: t.srcPackages.name })
    .from(t.srcPackages)
    .where(eq(t.srcPackages.name, name))
    .limit(1);
  return row ?? null;
}

export interface SourceVersionRow {
  os: string;
  version: string;
  /** Binary packages built from this source version, sorted by name. */
  binaries: string[];
}

/** The versions of a source package with their binaries, ordered by OS then Debian version. */
export async function listSourcePackageVersions(
  database: Database,
  srcPackageId: number,
): Promise<SourceVersionRow[]> {
  const { db, tables: t } = database;
  const spv = t.srcPackageVersions;
  const rows = await db
    .select({ id: spv.id, os: t.operatingSystems.name, version: spv.version, binary: t.packages.name })
    .from(spv)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, spv.osId))
    .leftJoin(t.packageVersions, eq(t.packageVersions.srcPackageVersionId, spv.id))
    .leftJoin(t.packages, eq(t.packages.id, t.packageVersions.packageId))
    .where(and(eq(spv.srcPackageId, srcPackageId)));
  const byVersion = new Map<number, SourceVersionRow>();
  for (const row of rows) {
    let entry = byVersion.get(row.id);
    if (!entry) {
      entry = { os: row.os, version: row.version, binaries: [] };
      byVersion.set(row.id, entry);
    }
    if (row.binary !== null && !entry.binaries.includes(row.binary)) entry.binaries.push(row.binary);
  }
  const versions = [...byVersion.values()];
  for (const entry of versions) entry.binaries.sort(compareBinary);
  return versions.sort((a, b) => compareBinary(a.os, b.os) || compareDebianVersions(a.version, b.version));
}
