/**
 * Search: a case-insensitive substring match in eight groups (the last: CVE ids), ranked: every exact match first (a
 * name, a version or a kernel release equal to the query), then those that start with the query,
 * then the rest; within a rank, the groups in their fixed order, each in its name order. The page is
 * read in segments (rank × group): one statement per group counts its three ranks in the one scan
 * the substring match needs anyway, then only the segments that overlap the requested page are
 * read, with their own LIMIT/OFFSET. An export reads every segment in turn, walking its name index a
 * window at a time (./keyset.ts), with no count. The page's hits then get their counts in one
 * statement per group (./search-details.ts).
 */
import { type AnyColumn, and, asc, eq, getTableName, not, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { indexBound, keysetPages, orderOf, type SortKey, windowedPages } from './keyset.ts';
import type { Page } from './list-options.ts';
import type { PackageCounts } from './package-counts.ts';

export const SEARCH_GROUPS = [
  'hosts',
  'images',
  'packages',
  'source-packages',
  'kernels',
  'package-versions',
  'source-package-versions',
  'cves',
] as const;
export type SearchGroup = (typeof SEARCH_GROUPS)[number];

/** How a hit matches the query, best first. */
export const SEARCH_RANKS = ['exact', 'prefix', 'substring'] as const;
export type SearchRank = (typeof SEARCH_RANKS)[number];

/** One result; `version`/`os` are set for version groups, `osId`/`slug`/`release` for kernels. */
export interface SearchHit {
  group: SearchGroup;
  id: number;
  name: string;
  version?: string;
  os?: string;
  osId?: number;
  slug?: string;
  release?: string | null;
  /** Installed, upgrades and security: a host's or image's packages, a package's hosts and images. */
  counts?: PackageCounts;
  /** Hosts running a kernel. */
  hosts?: number;
}

interface Window {
  offset: number;
  limit: number;
}

type GroupQuery = {
  /** The group's hits of each rank, in SEARCH_RANKS order. */
  count(): Promise<number[]>;
  rows(rank: SearchRank, window: Window): Promise<SearchHit[]>;
  /** Every hit of the group with that rank, `pageRows` at a time (exports). */
  pages(rank: SearchRank, pageRows: number): AsyncGenerator<SearchHit[]>;
};

/** How the columns a group searches match the query: contained, equal, or at the start. */
interface Matcher {
  contains: SQL;
  exact: SQL;
  prefix: SQL;
}

/**
 * Whether `q` can be a substring of a security tracker id, ignoring case: `CVE-2024-12345` or
 * `TEMP-0000000-1E2B9F` (a temporary id ends in six hexadecimal digits), docs/cve.md "The feed".
 */
export function couldBePartOfTrackerId(q: string): boolean {
  return /^[0-9a-f\-cvetmp]+$/i.test(q);
}

/** A group with no hit, read without a query. */
const NO_HITS: GroupQuery = {
  count: async () => [0, 0, 0],
  rows: async () => [],
  pages: async function* () {},
};

function buildGroups(database: Database, q: string): Record<SearchGroup, GroupQuery> {
  const { db, tables: t, spelling } = database;
  /** A matcher over one or more columns (a kernel is found by its name or its release). */
  const matcher = (...columns: (SQL | AnyColumn)[]): Matcher => ({
    contains: or(...columns.map((column) => spelling.containsIgnoringCase(column, q))) as SQL,
    exact: or(...columns.map((column) => spelling.equalsIgnoringCase(column, q))) as SQL,
    prefix: or(...columns.map((column) => spelling.startsWithIgnoringCase(column, q))) as SQL,
  });
  /** The hits of one rank (the prefix rank leaves out the exact hits, the substring rank both). */
  const ranked = (m: Matcher, rank: SearchRank): SQL =>
    (rank === 'exact'
      ? and(m.contains, m.exact)
      : rank === 'prefix'
        ? and(m.contains, m.prefix, not(m.exact))
        : and(m.contains, not(m.prefix))) as SQL;
  /** Counts the three ranks in one scan of the substring matches: [exact, prefix, substring]. */
  const rankCounts = (m: Matcher) => ({
    n: sql<number>`count(*)`.mapWith(Number),
    exact: sql<number>`sum(CASE WHEN ${m.exact} THEN 1 ELSE 0 END)`.mapWith(Number),
    prefix: sql<number>`sum(CASE WHEN ${m.prefix} THEN 1 ELSE 0 END)`.mapWith(Number),
  });
  const countRanks = async (rows: Promise<{ n: number; exact: number; prefix: number }[]>) => {
    const [row] = await rows;
    const n = row?.n ?? 0;
    const exact = row?.exact ?? 0;
    const prefix = row?.prefix ?? 0;
    return [exact, prefix - exact, n - prefix];
  };
  const named = (
    group: SearchGroup,
    table: typeof t.hosts | typeof t.images | typeof t.packages | typeof t.srcPackages,
  ) => {
    const m = matcher(table.name);
    return {
      count: () => countRanks(db.select(rankCounts(m)).from(table).where(m.contains)),
      async rows(rank: SearchRank, w: Window) {
        const rows = await db
          .select({ id: table.id, name: table.name })
          .from(table)
          .where(ranked(m, rank))
          .orderBy(asc(table.name))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group, ...row }));
      },
      pages(rank: SearchRank, pageRows: number) {
        const keys: SortKey<SearchHit>[] = [{ column: table.name, of: (hit) => hit.name }];
        return windowedPages(keys, pageRows, indexBound(db, table, false), async (position, limit) => {
          const rows = await db
            .select({ id: table.id, name: table.name })
            .from(table)
            .where(and(ranked(m, rank), position))
            .orderBy(asc(table.name))
            .limit(limit);
          return rows.map((row) => ({ group, ...row }));
        });
      },
    };
  };
  // The release as users type it (`6.1.0-26`) as well as the `uname -v` banner; a kernel reported
  // before releases were kept has none (coalesce: NOT of NULL would drop it from every rank).
  const kernelMatch = matcher(t.kernels.name, sql`coalesce(${t.kernels.release}, '')`);
  const kernelKeys: SortKey<SearchHit>[] = [
    { column: t.operatingSystems.name, of: (hit) => hit.os },
    { column: t.kernels.name, of: (hit) => hit.name },
  ];
  const kernelRows = async (rank: SearchRank, where: SQL | undefined, w: Window) => {
    const rows = await db
      .select({
        id: t.kernels.id,
        name: t.kernels.name,
        osId: t.kernels.osId,
        slug: t.kernels.slug,
        release: t.kernels.release,
        os: t.operatingSystems.name,
      })
      .from(t.kernels)
      .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.kernels.osId))
      .where(and(ranked(kernelMatch, rank), where))
      .orderBy(...orderOf(kernelKeys))
      .limit(w.limit)
      .offset(w.offset);
    return rows.map((row) => ({ group: 'kernels' as const, ...row }));
  };
  const pv = t.packageVersions;
  const spv = t.srcPackageVersions;
  /** A group of versions (binary or source) ordered by package name, OS name and version. */
  const versionGroup = (
    group: 'package-versions' | 'source-package-versions',
    versions: typeof pv | typeof spv,
    names: typeof t.packages | typeof t.srcPackages,
    nameId: typeof pv.packageId | typeof spv.srcPackageId,
  ): GroupQuery => {
    const m = matcher(versions.version);
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
    const walkMatch = matcher(sql`v.version`);
    return {
      count: () => countRanks(db.select(rankCounts(m)).from(versions).where(m.contains)),
      async rows(rank, w) {
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
          .where(ranked(m, rank))
          .orderBy(...orderOf(keys))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group, ...row }));
      },
      pages: (rank, pageRows) =>
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
              WHERE ${position ? sql`${ranked(walkMatch, rank)} AND ${position}` : ranked(walkMatch, rank)}
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
  // CVE ids the current import knows (docs/cve.md, "Pages"), through its (feed, CVE) index.
  const issues = t.cveIssues;
  const cveMatch = matcher(issues.cve);
  const currentImport = sql`${issues.feedId} = (SELECT ${t.cveFeeds.id} FROM ${t.cveFeeds} WHERE ${t.cveFeeds.state} = 'current')`;
  const cveKeys: SortKey<SearchHit>[] = [{ column: issues.cve, of: (hit) => hit.name }];
  const cveRows = async (rank: SearchRank, where: SQL | undefined, w: Window) => {
    const rows = await db
      .select({ id: issues.id, name: issues.cve })
      .from(issues)
      .where(and(currentImport, ranked(cveMatch, rank), where))
      .orderBy(asc(issues.cve))
      .limit(w.limit)
      .offset(w.offset);
    return rows.map((row) => ({ group: 'cves' as const, ...row }));
  };
  return {
    // A query with a character no tracker id has ("host-42", "libssl3", "1.2.3") cannot be part of
    // one: no scan of the import's ids for it.
    cves: couldBePartOfTrackerId(q)
      ? {
          count: () =>
            countRanks(
              db.select(rankCounts(cveMatch)).from(issues).where(and(currentImport, cveMatch.contains)),
            ),
          rows: (rank, w) => cveRows(rank, undefined, w),
          pages: (rank, pageRows) =>
            keysetPages(cveKeys, pageRows, (position, limit) =>
              cveRows(rank, position, { offset: 0, limit }),
            ),
        }
      : NO_HITS,
    hosts: named('hosts', t.hosts),
    images: named('images', t.images),
    packages: named('packages', t.packages),
    'source-packages': named('source-packages', t.srcPackages),
    kernels: {
      count: () => countRanks(db.select(rankCounts(kernelMatch)).from(t.kernels).where(kernelMatch.contains)),
      rows: (rank, w) => kernelRows(rank, undefined, w),
      // Kernels are few: no window.
      pages: (rank, pageRows) =>
        keysetPages(kernelKeys, pageRows, (position, limit) =>
          kernelRows(rank, position, { offset: 0, limit }),
        ),
    },
    'package-versions': versionGroup('package-versions', pv, t.packages, pv.packageId),
    'source-package-versions': versionGroup('source-package-versions', spv, t.srcPackages, spv.srcPackageId),
  };
}

/** Every hit of a search, ranked, `pageRows` at a time (exports). */
export async function* pageSearch(
  database: Database,
  q: string,
  pageRows: number,
): AsyncGenerator<SearchHit[]> {
  const groups = buildGroups(database, q);
  for (const rank of SEARCH_RANKS)
    for (const group of SEARCH_GROUPS) yield* groups[group].pages(rank, pageRows);
}

/** Searches every group for `q` and returns the ranked hits in [offset, offset + limit). */
export async function search(database: Database, q: string, window: Window): Promise<Page<SearchHit>> {
  const groups = buildGroups(database, q);
  const counts = await Promise.all(SEARCH_GROUPS.map((group) => groups[group].count()));
  const reads: Promise<SearchHit[]>[] = [];
  let start = 0;
  SEARCH_RANKS.forEach((rank, r) => {
    SEARCH_GROUPS.forEach((group, g) => {
      const size = counts[g]?.[r] ?? 0;
      const from = Math.max(window.offset, start);
      const to = Math.min(window.offset + window.limit, start + size);
      if (from < to) reads.push(groups[group].rows(rank, { offset: from - start, limit: to - from }));
      start += size;
    });
  });
  return { rows: (await Promise.all(reads)).flat(), total: start };
}
