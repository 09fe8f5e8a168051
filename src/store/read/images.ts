/** One image with what its detail page shows above the package table. */
import { eq, sum } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { InventoryRow } from './inventory-list.ts';

/** The list row (name, OS, counters, last report) and what only the detail page shows. */
export interface ImageDetail extends Omit<InventoryRow, 'cveFixable' | 'cveUrgent'> {
  /** Containers running this image over every Kubernetes cluster and namespace. */
  kubernetesContainers: number;
}

/** Finds an image by its exact name; null when unknown. */
export async function findImage(database: Database, name: string): Promise<ImageDetail | null> {
  const { db, tables: t } = database;
  const [row] = await db
    .select({
      id: t.images.id,
      name: t.images.name,
      os: t.operatingSystems.name,
      modified: t.images.modified,
      packageCount: t.images.packageCount,
      upgradeCount: t.images.upgradeCount,
      securityCount: t.images.securityCount,
      securitySince: t.images.securitySince,
      lastUpgraded: t.images.lastUpgraded,
    })
    .from(t.images)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.images.osId))
    .where(eq(t.images.name, name))
    .limit(1);
  if (!row) return null;
  const [containers] = await db
    .select({ total: sum(t.kubernetesImages.containers).mapWith(Number) })
    .from(t.kubernetesImages)
    .where(eq(t.kubernetesImages.imageId, row.id));
  return { ...row, kubernetesContainers: containers?.total ?? 0 };
}
