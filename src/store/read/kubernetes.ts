/** Live Kubernetes images: which image runs in which cluster and namespace, and how many containers. */
import { and, asc, count, desc, eq, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { ListOptions, Page } from './list-options.ts';

export const KUBERNETES_SORTS = ['default', 'image', 'containers'] as const;
export type KubernetesSort = (typeof KUBERNETES_SORTS)[number];

export interface KubernetesRow {
  cluster: string;
  namespace: string;
  image: string;
  os: string;
  containers: number;
}

/** Lists Kubernetes rows; default order cluster, namespace, image name. */
export async function listKubernetesImages(
  database: Database,
  options: ListOptions<KubernetesSort>,
): Promise<Page<KubernetesRow>> {
  const { db, tables: t, dialect } = database;
  const k = t.kubernetesImages;
  const conditions: (SQL | undefined)[] = [];
  if (options.q) {
    conditions.push(
      or(
        dialect.containsIgnoringCase(k.cluster, options.q),
        dialect.containsIgnoringCase(k.namespace, options.q),
        dialect.containsIgnoringCase(t.images.name, options.q),
      ),
    );
  }
  const where = and(...conditions);
  const direction = options.descending ? desc : asc;
  const byPlace = [asc(k.cluster), asc(k.namespace), asc(t.images.name)];
  const order =
    options.sort === 'image'
      ? [direction(t.images.name), asc(k.cluster), asc(k.namespace)]
      : options.sort === 'containers'
        ? [direction(k.containers), ...byPlace]
        : byPlace;
  const from = () =>
    db
      .select({
        cluster: k.cluster,
        namespace: k.namespace,
        image: t.images.name,
        os: t.operatingSystems.name,
        containers: k.containers,
      })
      .from(k)
      .innerJoin(t.images, eq(t.images.id, k.imageId))
      .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.images.osId));
  const [rows, totals] = await Promise.all([
    from()
      .where(where)
      .orderBy(...order)
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(k).innerJoin(t.images, eq(t.images.id, k.imageId)).where(where),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}
