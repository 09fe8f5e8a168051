/** One host with what its detail page shows above the package table. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { InventoryRow } from './inventory-list.ts';

/** What the host page shows about reboots (docs/reboot.md). */
export interface HostRebootDetail {
  /** needrestart's code: 0 unknown, 1 current, 2 ABI upgrade, 3 version upgrade. */
  kernelState: number;
  kernelStateReason: string | null;
  kernelStateSince: Date | null;
  rebootRequired: number;
  rebootReasons: string | null;
  rebootRequiredSince: Date | null;
  bootTime: Date | null;
  restartServices: string | null;
  restartServiceCount: number | null;
  lastFullReport: Date | null;
}

/** The list row (name, OS, counters, last report) and what only the detail page shows. */
export interface HostDetail extends Omit<InventoryRow, 'cveFixable' | 'cveUrgent'> {
  kernel: { id: number; name: string; slug: string; osId: number; release: string | null };
  reboot: HostRebootDetail;
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
      securitySince: t.hosts.securitySince,
      lastUpgraded: t.hosts.lastUpgraded,
      kernel: {
        id: t.kernels.id,
        name: t.kernels.name,
        slug: t.kernels.slug,
        osId: t.kernels.osId,
        release: t.kernels.release,
      },
      reboot: {
        kernelState: t.hosts.kernelState,
        kernelStateReason: t.hosts.kernelStateReason,
        kernelStateSince: t.hosts.kernelStateSince,
        rebootRequired: t.hosts.rebootRequired,
        rebootReasons: t.hosts.rebootReasons,
        rebootRequiredSince: t.hosts.rebootRequiredSince,
        bootTime: t.hosts.bootTime,
        restartServices: t.hosts.restartServices,
        restartServiceCount: t.hosts.restartServiceCount,
        lastFullReport: t.hosts.lastFullReport,
      },
    })
    .from(t.hosts)
    .innerJoin(t.operatingSystems, eq(t.operatingSystems.id, t.hosts.osId))
    .innerJoin(t.kernels, eq(t.kernels.id, t.hosts.kernelId))
    .where(eq(t.hosts.name, name))
    .limit(1);
  return row ?? null;
}
