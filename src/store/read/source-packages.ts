/**
 * Source packages: the list with their counts (derived from their binaries', ./source-index.ts),
 * version counts and OSes, and one source package's binaries and versions.
 */

import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import { sortYielding } from '../../lib/yielding-sort.ts';
import type { Store } from '../store.ts';
import { type CountedNames, listCountedNames, pageCountedNames } from './counted-name-list.ts';
import { keysetPages, orderOf, type SortKey, slices } from './keyset.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';
import { type PackageCounts, readPackageCounts } from './package-counts.ts';
import { countVersionsByOs } from './version-oses.ts';

export const SOURCE_PACKAGE_SORTS = [
  'default',
  'name',
  'installed',
  'upgrades',
  'security',
  'versions',
] as const;
export type SourcePackageSort = (typeof SOURCE_PACKAGE_SORTS)[number];

export interface SourcePackageRow extends PackageCounts {
  id: number;
  name: string;
  versionCount: number;
  /** Distinct OS names of its versions, sorted. */
  oses: string[];
}

/**
 * Lists source packages. Sorted by name without an upgrade filter, the page comes straight from the
 * name index; any other order or filter uses the source index (./source-index.ts, a few seconds old
 * at most). The page's counts are then read exactly for its rows only.
 */
export async function listSourcePackages(
  store: Store,
  options: ListOptions<SourcePackageSort>,
): Promise<Page<SourcePackageRow>> {
  const { database } = store;
  const page = await listCountedNames(database, sourceNames(store), options);
  return { rows: await withDetails(database, page.rows), total: page.total };
}

/**
 * Every source package of the list in its order, `pageRows` at a time (exports): by name, a walk on
 * the name index; else the source index, filtered and sorted in slices.
 */
export async function* pageSourcePackages(
  store: Store,
  options: ExportOptions<SourcePackageSort>,
  pageRows: number,
): AsyncGenerator<SourcePackageRow[]> {
  const { database } = store;
  for await (const rows of await pageCountedNames(database, sourceNames(store), options, pageRows))
    yield await withDetails(database, rows);
}

/** The source packages' names: the src_packages table, and the source index. */
function sourceNames(store: Store): CountedNames {
  return { table: store.database.tables.srcPackages, index: () => store.snapshots.sourceIndex() };
}

/** One binary package built from a source package, with its counts (hosts plus images). */
export interface SourceBinaryRow extends PackageCounts {
  name: string;
}

/**
 * The binary packages built from each of the given source packages, with their exact counts: one
 * query for the (source, binary) pairs through the (source, version, OS) and (source version)
 * indexes, one for the counts (./package-counts.ts).
 */
export async function readSourceBinaries(
  database: Database,
  sourceIds: readonly number[],
): Promise<Map<number, SourceBinaryRow[]>> {
  const result = new Map<number, SourceBinaryRow[]>();
  if (sourceIds.length === 0) return result;
  const { db, tables: t } = database;
  const spv = t.srcPackageVersions;
  const pairs = await db
    .selectDistinct({ source: spv.srcPackageId, id: t.packages.id, name: t.packages.name })
    .from(spv)
    .innerJoin(t.packageVersions, eq(t.packageVersions.srcPackageVersionId, spv.id))
    .innerJoin(t.packages, eq(t.packages.id, t.packageVersions.packageId))
    .where(inArray(spv.srcPackageId, [...sourceIds]));
  const counts = await readPackageCounts(database, [...new Set(pairs.map((pair) => pair.id))]);
  for (const pair of pairs) {
    const row = { name: pair.name, ...(counts.get(pair.id) ?? { installed: 0, upgrades: 0, security: 0 }) };
    const list = result.get(pair.source);
    if (list) list.push(row);
    else result.set(pair.source, [row]);
  }
  for (const list of result.values()) list.sort((a, b) => compareBinary(a.name, b.name));
  return result;
}

/** A source package's counts: the largest of each among its binaries (./source-index.ts says why). */
export function sourceCounts(binaries: readonly PackageCounts[]): PackageCounts {
  return {
    installed: Math.max(0, ...binaries.map((binary) => binary.installed)),
    upgrades: Math.max(0, ...binaries.map((binary) => binary.upgrades)),
    security: Math.max(0, ...binaries.map((binary) => binary.security)),
  };
}

/** The rows of a page with their exact counts, numbers of versions and OSes. */
async function withDetails(
  database: Database,
  page: { id: number; name: string }[],
): Promise<SourcePackageRow[]> {
  const ids = page.map((row) => row.id);
  const [rows, binaries] = await Promise.all([
    withVersions(database, page),
    readSourceBinaries(database, ids),
  ]);
  return rows.map((row) => ({ ...row, ...sourceCounts(binaries.get(row.id) ?? []) }));
}

/** The rows of a page with their numbers of versions and OSes. */
async function withVersions(
  database: Database,
  page: { id: number; name: string }[],
): Promise<Omit<SourcePackageRow, keyof PackageCounts>[]> {
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
