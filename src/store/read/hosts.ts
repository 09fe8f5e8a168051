/** One host with what its detail page shows above the package table. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { InventoryRow } from './inventory-list.ts';

/** The list row (name, OS, counters, last report) and what only the detail page shows. */
export interface HostDetail extends InventoryRow {
  kernel: { id: number; name: string; slug: string; osId: number; release: string | null };
}

/** Finds a host by its exact name; null when unknown. */
export async function findHost(database: Database, name: string): Promise<HostDetail | null> {
  const { db, tables: t } = database;
  const [row] = await db
    .select({
      id: t.hosts.id,
      name: t.hosts.name,
      os: t.operatingSystems.name,
      modified: t.hosts.modified,
      packageCount: t.hosts.packageCount,
      upgradeCount: t.hosts.upgradeCount,
      securityCount: t.hosts.securityCount,
      kernel: {
        id: t.kernels.id,
        name: t.kernels.name,
        slug: t.kernels.slug,
        osId: t.kernels.osId,
        release: t.kernels.release,
      },
    })
    .from(t.hosts)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.hosts.osId))
    .innerJoin(t.kernels, eq(t.kernels.id, t.hosts.kernelId))
    .where(eq(t.hosts.name, name))
    .limit(1);
  return row ?? null;
}
