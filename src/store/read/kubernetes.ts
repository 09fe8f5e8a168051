/** Live Kubernetes images: which image runs in which cluster and namespace, and how many containers. */
import { and, count, eq, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { exportPages, readPage, type SortKey } from './keyset.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';

export const KUBERNETES_SORTS = ['default', 'image', 'containers'] as const;
export type KubernetesSort = (typeof KUBERNETES_SORTS)[number];

export interface KubernetesRow {
  cluster: string;
  namespace: string;
  image: string;
  os: string;
  containers: number;
  /** The image's pending upgrades and security upgrades (its counters). */
  upgradeCount: number;
  securityCount: number;
}

/** Lists Kubernetes rows; default order cluster, namespace, image name. */
export async function listKubernetesImages(
  database: Database,
  options: ListOptions<KubernetesSort>,
): Promise<Page<KubernetesRow>> {
  const { db, tables: t } = database;
  const k = t.kubernetesImages;
  const query = kubernetesQuery(database, options);
  const total = db
    .select({ total: count() })
    .from(k)
    .innerJoin(t.images, eq(t.images.id, k.imageId))
    .where(query.where);
  return readPage(query, options, total);
}

/** Every Kubernetes row of the list in its order, `pageRows` at a time (exports). */
export function pageKubernetesImages(
  database: Database,
  options: ExportOptions<KubernetesSort>,
  pageRows: number,
): AsyncGenerator<KubernetesRow[]> {
  return exportPages(kubernetesQuery(database, options), pageRows);
}

/** The list's query; its sort keys end with cluster, namespace and image name (unique together). */
function kubernetesQuery(database: Database, options: ExportOptions<KubernetesSort>) {
  const { db, tables: t, spelling } = database;
  const k = t.kubernetesImages;
  const conditions: (SQL | undefined)[] = [];
  if (options.q) {
    conditions.push(
      or(
        spelling.containsIgnoringCase(k.cluster, options.q),
        spelling.containsIgnoringCase(k.namespace, options.q),
        spelling.containsIgnoringCase(t.images.name, options.q),
      ),
    );
  }
  const descending = options.descending;
  const cluster: SortKey<KubernetesRow> = { column: k.cluster, of: (row) => row.cluster };
  const namespace: SortKey<KubernetesRow> = { column: k.namespace, of: (row) => row.namespace };
  const image: SortKey<KubernetesRow> = { column: t.images.name, of: (row) => row.image };
  const keys: SortKey<KubernetesRow>[] =
    options.sort === 'image'
      ? [{ ...image, descending }, cluster, namespace]
      : options.sort === 'containers'
        ? [{ column: k.containers, descending, of: (row) => row.containers }, cluster, namespace, image]
        : [cluster, namespace, image];
  return {
    where: and(...conditions),
    keys,
    select: (where: SQL | undefined) =>
      db
        .select({
          cluster: k.cluster,
          namespace: k.namespace,
          image: t.images.name,
          os: t.operatingSystems.name,
          containers: k.containers,
          upgradeCount: t.images.upgradeCount,
          securityCount: t.images.securityCount,
        })
        .from(k)
        .innerJoin(t.images, eq(t.images.id, k.imageId))
        .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.images.osId))
        .where(where),
  };
}
