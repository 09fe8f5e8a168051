/**
 * Search (spec §3.5 item 13): a case-insensitive substring match in seven groups, paginated across
 * the groups in their fixed order. Each group is counted first, then only the groups that overlap
 * the requested page are read, with their own LIMIT/OFFSET.
 */
import { asc, count, eq } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
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

type GroupQuery = { count(): Promise<number>; rows(window: Window): Promise<SearchHit[]> };

function buildGroups(database: Database, q: string): Record<SearchGroup, GroupQuery> {
  const { db, tables: t, dialect } = database;
  const named = (
    group: SearchGroup,
    table: typeof t.hosts | typeof t.images | typeof t.packages | typeof t.srcPackages,
  ) => {
    const where = dialect.containsIgnoringCase(table.name, q);
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
    };
  };
  const kernelWhere = dialect.containsIgnoringCase(t.kernels.name, q);
  const pv = t.packageVersions;
  const spv = t.srcPackageVersions;
  const versionWhere = dialect.containsIgnoringCase(pv.version, q);
  const srcVersionWhere = dialect.containsIgnoringCase(spv.version, q);
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
      async rows(w) {
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
          .where(kernelWhere)
          .orderBy(asc(t.operatingSystems.name), asc(t.kernels.name))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group: 'kernels' as const, ...row }));
      },
    },
    'package-versions': {
      async count() {
        const [row] = await db.select({ n: count() }).from(pv).where(versionWhere);
        return row?.n ?? 0;
      },
      async rows(w) {
        const rows = await db
          .select({ id: pv.id, name: t.packages.name, version: pv.version, os: t.operatingSystems.name })
          .from(pv)
          .innerJoin(t.packages, eq(t.packages.id, pv.packageId))
          .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, pv.osId))
          .where(versionWhere)
          .orderBy(asc(t.packages.name), asc(t.operatingSystems.name), asc(pv.version))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group: 'package-versions' as const, ...row }));
      },
    },
    'source-package-versions': {
      async count() {
        const [row] = await db.select({ n: count() }).from(spv).where(srcVersionWhere);
        return row?.n ?? 0;
      },
      async rows(w) {
        const rows = await db
          .select({ id: spv.id, name: t.srcPackages.name, version: spv.version, os: t.operatingSystems.name })
          .from(spv)
          .innerJoin(t.srcPackages, eq(t.srcPackages.id, spv.srcPackageId))
          .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, spv.osId))
          .where(srcVersionWhere)
          .orderBy(asc(t.srcPackages.name), asc(t.operatingSystems.name), asc(spv.version))
          .limit(w.limit)
          .offset(w.offset);
        return rows.map((row) => ({ group: 'source-package-versions' as const, ...row }));
      },
    },
  };
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
