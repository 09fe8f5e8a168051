/**
 * Search: a case-insensitive substring match in seven groups, paginated across
 * the groups in their fixed order. Each group is counted first, then only the groups that overlap
 * the requested page are read, with their own LIMIT/OFFSET. An export reads every group in turn,
 * walking its name index a window at a time (./keyset.ts), with no count.
 */
import { and, asc, count, eq, getTableName, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { indexBound, keysetPages, orderOf, type SortKey, windowedPages } from './keyset.ts';
import type { Page } from './list-options.ts';

export const SEARCH_GROUPS = [
  'hosts',
  'images',
  'packages',
  'source-packages',
  'kernels',
  'package-versions',
  'source-package-versions',
] as const;
export type SearchGroup = (typeof SEARCH_GROUPS)[number];

/** One result; `version`/`os` are set for version groups, `osId`/`slug`/`id` for kernels. */
export interface SearchHit {
  group: SearchGroup;
  id: number;
  name: string;
  version?: string;
  os?: string;
  osId?: number;
  slug?: string;
}

interface Window {
  offset: number;
  limit: number;
}

type GroupQuery = {
  count(): Promise<number>;
  rows(window: Window): Promise<SearchHit[]>;
  /** Every hit of the group, `pageRows` at a time (exports). */
  pages(pageRows: number): AsyncGenerator<SearchHit[]>;
};

function buildGroups(database: Database, q: string): Record<SearchGroup, GroupQuery> {
  const { db, tables: t, spelling } = database;
  const named = (
    group: SearchGroup,
    table: typeof t.hosts | typeof t.images | typeof t.packages | typeof t.srcPackages,
  ) => {
    const where = spelling.containsIgnoringCase(table.name, q);
    return {
      async count() {
        const [row] = await db.select({ n: count() }).from(table).where(where);
        return row?.n ?? 0;
      },
      async rows(w: Window) {
        const rows = await db
          .select({ id: table.id, name: table.name })
          .from(table)
          .where(where)
          .orderBy(asc(table.name))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group, ...row }));
      },
      pages(pageRows: number) {
        const keys: SortKey<SearchHit>[] = [{ column: table.name, of: (hit) => hit.name }];
        return windowedPages(keys, pageRows, indexBound(db, table, false), async (position, limit) => {
          const rows = await db
            .select({ id: table.id, name: table.name })
            .from(table)
            .where(and(where, position))
            .orderBy(asc(table.name))
            .limit(limit);
          return rows.map((row) => ({ group, ...row }));
        });
      },
    };
  };
  const kernelWhere = spelling.containsIgnoringCase(t.kernels.name, q);
  const kernelKeys: SortKey<SearchHit>[] = [
    { column: t.operatingSystems.name, of: (hit) => hit.os },
    { column: t.kernels.name, of: (hit) => hit.name },
  ];
  const kernelRows = async (where: SQL | undefined, w: Window) => {
    const rows = await db
      .select({
        id: t.kernels.id,
        name: t.kernels.name,
        osId: t.kernels.osId,
        slug: t.kernels.slug,
        os: t.operatingSystems.name,
      })
      .from(t.kernels)
      .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.kernels.osId))
      .where(and(kernelWhere, where))
      .orderBy(...orderOf(kernelKeys))
      .limit(w.limit)
      .offset(w.offset);
    return rows.map((row) => ({ group: 'kernels' as const, ...row }));
  };
  const pv = t.packageVersions;
  const spv = t.srcPackageVersions;
  const versionWhere = spelling.containsIgnoringCase(pv.version, q);
  const srcVersionWhere = spelling.containsIgnoringCase(spv.version, q);
  /** A group of versions (binary or source) ordered by package name, OS name and version. */
  const versionGroup = (
    group: 'package-versions' | 'source-package-versions',
    versions: typeof pv | typeof spv,
    names: typeof t.packages | typeof t.srcPackages,
    nameId: typeof pv.packageId | typeof spv.srcPackageId,
    where: SQL,
  ): GroupQuery => {
    const keys: SortKey<SearchHit>[] = [
      { column: names.name, of: (hit) => hit.name },
      { column: t.operatingSystems.name, of: (hit) => hit.os },
      { column: versions.version, of: (hit) => hit.version },
    ];
    // The export's walk: the names in order on their index, each one's versions through the
    // (name, version, OS) index, forced: right after a bulk load, MariaDB once ran this query for
    // minutes instead of milliseconds (statistics not updated yet, probably).
    const walkKeys: SortKey<SearchHit>[] = [
      { column: sql`n.name`, of: (hit) => hit.name },
      { column: sql`o.name`, of: (hit) => hit.os },
      { column: sql`v.version`, of: (hit) => hit.version },
    ];
    const walkWhere = spelling.containsIgnoringCase(sql`v.version`, q);
    return {
      async count() {
        const [row] = await db.select({ n: count() }).from(versions).where(where);
        return row?.n ?? 0;
      },
      async rows(w) {
        const rows = await db
          .select({
            id: versions.id,
            name: names.name,
            version: versions.version,
            os: t.operatingSystems.name,
          })
          .from(versions)
          .innerJoin(names, eq(names.id, nameId))
          .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, versions.osId))
          .where(where)
          .orderBy(...orderOf(keys))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group, ...row }));
      },
      pages: (pageRows) =>
        windowedPages(walkKeys, pageRows, indexBound(db, names, false), async (position, limit) => {
          const rows = await database.sql.selectSql<{
            id: number;
            name: string;
            version: string;
            os: string;
          }>(
            sql`SELECT v.id AS id, n.name AS name, v.version AS version, o.name AS os
              FROM ${names} n ${spelling.joinInOrder} ${versions} v ${spelling.forceIndex(`${getTableName(versions)}_unique`)}
                ON v.${sql.raw(nameId.name)} = n.id
              JOIN ${t.operatingSystems} o ON o.id = v.os_id
              WHERE ${position ? sql`${walkWhere} AND ${position}` : walkWhere}
              ORDER BY n.name, o.name, v.version LIMIT ${limit}`,
          );
          return rows.map((row) => ({
            group,
            id: Number(row.id),
            name: row.name,
            version: row.version,
            os: row.os,
          }));
        }),
    };
  };
  return {
    hosts: named('hosts', t.hosts),
    images: named('images', t.images),
    packages: named('packages', t.packages),
    'source-packages': named('source-packages', t.srcPackages),
    kernels: {
      async count() {
        const [row] = await db.select({ n: count() }).from(t.kernels).where(kernelWhere);
        return row?.n ?? 0;
      },
      rows: (w) => kernelRows(undefined, w),
      // Kernels are few: no window.
      pages: (pageRows) =>
        keysetPages(kernelKeys, pageRows, (position, limit) => kernelRows(position, { offset: 0, limit })),
    },
    'package-versions': versionGroup('package-versions', pv, t.packages, pv.packageId, versionWhere),
    'source-package-versions': versionGroup(
      'source-package-versions',
      spv,
      t.srcPackages,
      spv.srcPackageId,
      srcVersionWhere,
    ),
  };
}

/** Every hit of a search, in group order, `pageRows` at a time (exports). */
export async function* pageSearch(
  database: Database,
  q: string,
  pageRows: number,
): AsyncGenerator<SearchHit[]> {
  const groups = buildGroups(database, q);
  for (const group of SEARCH_GROUPS) yield* groups[group].pages(pageRows);
}

/** Searches every group for `q` and returns the hits in [offset, offset + limit), in group order. */
export async function search(database: Database, q: string, window: Window): Promise<Page<SearchHit>> {
  const groups = buildGroups(database, q);
  const totals = await Promise.all(SEARCH_GROUPS.map((group) => groups[group].count()));
  const reads: Promise<SearchHit[]>[] = [];
  let start = 0;
  SEARCH_GROUPS.forEach((group, index) => {
    const size = totals[index] ?? 0;
    const from = Math.max(window.offset, start);
    const to = Math.min(window.offset + window.limit, start + size);
    if (from < to) reads.push(groups[group].rows({ offset: from - start, limit: to - from }));
    start += size;
  });
  return { rows: (await Promise.all(reads)).flat(), total: start };
}
