/** Source packages: the list with version counts and OSes, and one source package's versions. */

import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import { sortYielding } from '../../lib/yielding-sort.ts';
import { indexBound, keysetPages, orderOf, type SortKey, slices, windowedPages } from './keyset.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';
import { countVersionsByOs } from './version-oses.ts';

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
  const { db, tables: t, spelling } = database;
  const sp = t.srcPackages;
  const spv = t.srcPackageVersions;
  const where = options.q ? spelling.containsIgnoringCase(sp.name, options.q) : undefined;
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
  return { rows: await withVersions(database, page), total: totals[0]?.total ?? 0 };
}

/**
 * Every source package of the list in its order, `pageRows` at a time (exports): a walk on the name
 * index; sorted by number of versions, that walk collects each one's id, name and count first and
 * sorts them in memory (an aggregate has no index to walk).
 */
export async function* pageSourcePackages(
  database: Database,
  options: ExportOptions<SourcePackageSort>,
  pageRows: number,
): AsyncGenerator<SourcePackageRow[]> {
  const { db, tables: t, spelling } = database;
  const sp = t.srcPackages;
  const where = options.q ? spelling.containsIgnoringCase(sp.name, options.q) : undefined;
  const byVersions = options.sort === 'versions';
  const keys: SortKey<{ id: number; name: string }>[] = [
    { column: sp.name, descending: options.descending && !byVersions, of: (row) => row.name },
  ];
  const walk = windowedPages(
    keys,
    pageRows,
    indexBound(db, sp, options.descending && !byVersions),
    (position, limit) =>
      db
        .select({ id: sp.id, name: sp.name })
        .from(sp)
        .where(and(where, position))
        .orderBy(...orderOf(keys))
        .limit(limit),
  );
  if (!byVersions) {
    for await (const rows of walk) yield await withVersions(database, rows);
    return;
  }
  const all: { id: number; name: string; versions: number }[] = [];
  for await (const rows of walk) {
    const counts = await countVersions(
      database,
      rows.map((row) => row.id),
    );
    for (const row of rows) all.push({ ...row, versions: counts.get(row.id) ?? 0 });
  }
  const direction = options.descending ? -1 : 1;
  await sortYielding(all, (a, b) => direction * (a.versions - b.versions) || compareBinary(a.name, b.name));
  for await (const rows of slices(all, pageRows)) yield await withVersions(database, rows);
}

async function countVersions(database: Database, ids: number[]): Promise<Map<number, number>> {
  const { db, tables: t } = database;
  const spv = t.srcPackageVersions;
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: spv.srcPackageId, n: count() })
    .from(spv)
    .where(inArray(spv.srcPackageId, ids))
    .groupBy(spv.srcPackageId);
  return new Map(rows.map((row) => [row.id, row.n]));
}

/** The rows of a page with their numbers of versions and OSes. */
async function withVersions(
  database: Database,
  page: { id: number; name: string }[],
): Promise<SourcePackageRow[]> {
  const pairs = await countVersionsByOs(
    database,
    'source',
    page.map((row) => row.id),
  );
  const byId = new Map<number, { id: number; os: string; n: number }[]>();
  for (const pair of pairs) {
    const list = byId.get(pair.id);
    if (list) list.push(pair);
    else byId.set(pair.id, [pair]);
  }
  return page.map(({ id, name }) => {
    const mine = byId.get(id) ?? [];
    return {
      id,
      name,
      versionCount: mine.reduce((sum, pair) => sum + pair.n, 0),
      oses: mine.map((pair) => pair.os).sort(compareBinary),
    };
  });
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

/**
 * The versions of a source package with their binaries, `pageRows` at a time (exports): ordered by
 * OS then Debian version, or (`byVersion`) by Debian version then OS, ties by id. The versions are
 * read in pages on the (source, version, OS) index and sorted in memory (Debian order is not SQL's);
 * each page then reads its binaries.
 */
export async function* pageSourcePackageVersions(
  database: Database,
  srcPackageId: number,
  order: { byVersion: boolean; descending: boolean },
  pageRows: number,
): AsyncGenerator<SourceVersionRow[]> {
  const { db, tables: t } = database;
  const spv = t.srcPackageVersions;
  type Key = { id: number; os: string; version: string; osId: number };
  const keys: SortKey<Key>[] = [
    { column: spv.version, of: (row) => row.version },
    { column: spv.osId, of: (row) => row.osId },
  ];
  const all: Key[] = [];
  const reads = keysetPages(keys, pageRows, (position, limit) =>
    db
      .select({ id: spv.id, os: t.operatingSystems.name, version: spv.version, osId: spv.osId })
      .from(spv)
      .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, spv.osId))
      .where(and(eq(spv.srcPackageId, srcPackageId), position))
      .orderBy(...orderOf(keys))
      .limit(limit),
  );
  for await (const rows of reads) all.push(...rows);
  const byOs = (a: Key, b: Key) => compareBinary(a.os, b.os);
  const byDebian = (a: Key, b: Key) => compareDebianVersions(a.version, b.version);
  const ascending = order.byVersion
    ? (a: Key, b: Key) => byDebian(a, b) || byOs(a, b) || a.id - b.id
    : (a: Key, b: Key) => byOs(a, b) || byDebian(a, b) || a.id - b.id;
  await sortYielding(all, order.descending ? (a, b) => ascending(b, a) : ascending);
  for await (const rows of slices(all, pageRows)) {
    const binaries = await readBinaries(
      database,
      rows.map((row) => row.id),
    );
    yield rows.map((row) => ({ os: row.os, version: row.version, binaries: binaries.get(row.id) ?? [] }));
  }
}

/** The binary package names built from each source version, sorted. */
async function readBinaries(database: Database, ids: number[]): Promise<Map<number, string[]>> {
  const { db, tables: t } = database;
  const result = new Map<number, string[]>();
  if (ids.length === 0) return result;
  const rows = await db
    .selectDistinct({ id: t.packageVersions.srcPackageVersionId, name: t.packages.name })
    .from(t.packageVersions)
    .innerJoin(t.packages, eq(t.packages.id, t.packageVersions.packageId))
    .where(inArray(t.packageVersions.srcPackageVersionId, ids));
  for (const row of rows) {
    const names = result.get(row.id);
    if (names) names.push(row.name);
    else result.set(row.id, [row.name]);
  }
  for (const names of result.values()) names.sort(compareBinary);
  return result;
}
