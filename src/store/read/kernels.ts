/** Kernels: the list with host counts, lookups by URL slug or id, and the hosts running one. */
import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { parseId } from '../../lib/parse-id.ts';
import { exportPages, readPage, type SortKey } from './keyset.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';

export const KERNEL_SORTS = ['default', 'name', 'hosts'] as const;
export type KernelSort = (typeof KERNEL_SORTS)[number];

export interface KernelRow {
  id: number;
  name: string;
  slug: string;
  release: string | null;
  osId: number;
  os: string;
  hostCount: number;
}

/** Lists kernels with the number of hosts running each; default order OS name, kernel name. */
export async function listKernels(
  database: Database,
  options: ListOptions<KernelSort>,
): Promise<Page<KernelRow>> {
  const { db, tables: t } = database;
  const query = kernelsQuery(database, options);
  return readPage(query, options, db.select({ total: count() }).from(t.kernels).where(query.filter));
}

/** Every kernel of the list in its order, `pageRows` at a time (exports). */
export function pageKernels(
  database: Database,
  options: ExportOptions<KernelSort>,
  pageRows: number,
): AsyncGenerator<KernelRow[]> {
  return exportPages(kernelsQuery(database, options), pageRows);
}

/**
 * The list's query; its sort keys end with the OS and kernel names (unique together). A page's
 * position goes into HAVING, as the host count is an aggregate: kernels are few, so each page may
 * count them all. Its filter is applied inside (`where` stays empty), `filter` is for the total.
 */
function kernelsQuery(database: Database, options: ExportOptions<KernelSort>) {
  const { db, tables: t, spelling } = database;
  const where = options.q ? spelling.containsIgnoringCase(t.kernels.name, options.q) : undefined;
  const hostCount = count(t.hosts.id);
  const descending = options.descending;
  const byOs: SortKey<KernelRow> = { column: t.operatingSystems.name, of: (row) => row.os };
  const byName: SortKey<KernelRow> = { column: t.kernels.name, of: (row) => row.name };
  const keys: SortKey<KernelRow>[] =
    options.sort === 'hosts'
      ? [{ column: hostCount, descending, of: (row) => row.hostCount }, byOs, byName]
      : options.sort === 'name'
        ? [{ ...byName, descending }, byOs]
        : [byOs, byName];
  return {
    filter: where,
    where: undefined,
    keys,
    select: (having: SQL | undefined) =>
      db
        .select({
          id: t.kernels.id,
          name: t.kernels.name,
          slug: t.kernels.slug,
          release: t.kernels.release,
          osId: t.kernels.osId,
          os: t.operatingSystems.name,
          hostCount,
        })
        .from(t.kernels)
        .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.kernels.osId))
        .leftJoin(t.hosts, eq(t.hosts.kernelId, t.kernels.id))
        .where(where)
        .groupBy(
          t.kernels.id,
          t.kernels.name,
          t.kernels.slug,
          t.kernels.release,
          t.kernels.osId,
          t.operatingSystems.name,
        )
        .having(having),
  };
}

export interface KernelDetail {
  id: number;
  name: string;
  slug: string;
  release: string | null;
  osId: number;
  os: string;
}

async function selectKernel(database: Database, where: SQL | undefined): Promise<KernelDetail | null> {
  const { db, tables: t } = database;
  const [row] = await db
    .select({
      id: t.kernels.id,
      name: t.kernels.name,
      slug: t.kernels.slug,
      release: t.kernels.release,
      osId: t.kernels.osId,
      os: t.operatingSystems.name,
    })
    .from(t.kernels)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.kernels.osId))
    .where(where)
    .orderBy(asc(t.kernels.id))
    .limit(1);
  return row ?? null;
}

/**
 * Finds the kernel of `/kernels/<osId>_<slug>`. Slugs are lossy, so when several kernels share one
 * the lowest id wins (as upstream); `kernel-<id>` names a kernel whose slug is empty.
 */
export async function findKernelBySlug(
  database: Database,
  osId: number,
  slug: string,
): Promise<KernelDetail | null> {
  const t = database.tables;
  const bySlug = await selectKernel(database, and(eq(t.kernels.osId, osId), eq(t.kernels.slug, slug)));
  if (bySlug) return bySlug;
  const id = slug.startsWith('kernel-') ? parseId(slug.slice('kernel-'.length)) : null;
  if (id === null) return null;
  return selectKernel(database, and(eq(t.kernels.osId, osId), eq(t.kernels.id, id), eq(t.kernels.slug, '')));
}

/** Finds a kernel by id (`/kernels/id/<id>`); null, a malformed id (see parseId), finds none. */
export async function findKernelById(database: Database, id: number | null): Promise<KernelDetail | null> {
  if (id === null) return null;
  return selectKernel(database, eq(database.tables.kernels.id, id));
}

export const KERNEL_HOST_SORTS = ['name', 'modified'] as const;
export type KernelHostSort = (typeof KERNEL_HOST_SORTS)[number];

export interface KernelHostRow {
  name: string;
  modified: Date;
}

/** Lists the hosts running a kernel, by name. */
export async function listKernelHosts(
  database: Database,
  kernelId: number,
  options: ListOptions<KernelHostSort>,
): Promise<Page<KernelHostRow>> {
  const { db, tables: t } = database;
  const query = kernelHostsQuery(database, kernelId, options);
  return readPage(query, options, db.select({ total: count() }).from(t.hosts).where(query.where));
}

/** Every host running a kernel, in the list's order, `pageRows` at a time (exports). */
export function pageKernelHosts(
  database: Database,
  kernelId: number,
  options: ExportOptions<KernelHostSort>,
  pageRows: number,
): AsyncGenerator<KernelHostRow[]> {
  return exportPages(kernelHostsQuery(database, kernelId, options), pageRows);
}

function kernelHostsQuery(database: Database, kernelId: number, options: ExportOptions<KernelHostSort>) {
  const { db, tables: t, spelling } = database;
  const conditions = [eq(t.hosts.kernelId, kernelId)];
  if (options.q) conditions.push(spelling.containsIgnoringCase(t.hosts.name, options.q));
  const descending = options.descending;
  const byName: SortKey<KernelHostRow> = { column: t.hosts.name, of: (row) => row.name };
  const keys: SortKey<KernelHostRow>[] =
    options.sort === 'modified'
      ? [{ column: t.hosts.modified, descending, of: (row) => row.modified }, byName]
      : [{ ...byName, descending }];
  return {
    where: and(...conditions),
    keys,
    select: (where: SQL | undefined) =>
      db.select({ name: t.hosts.name, modified: t.hosts.modified }).from(t.hosts).where(where),
  };
}
