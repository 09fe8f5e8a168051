/** Every host's figures for /metrics (docs/reboot.md, "Metrics"): one scan of the host rows, nothing per package. */
import type { Database } from '../../db/open-database.ts';

export interface HostMetricsRow {
  name: string;
  upgradeCount: number;
  securityCount: number;
  rebootRequired: number;
  kernelState: number;
  modified: Date;
  lastFullReport: Date | null;
  bootTime: Date | null;
  rebootRequiredSince: Date | null;
  restartServiceCount: number | null;
}

export async function readHostMetrics(database: Database): Promise<HostMetricsRow[]> {
  const { db, tables } = database;
  const h = tables.hosts;
  return db
    .select({
      name: h.name,
      upgradeCount: h.upgradeCount,
      securityCount: h.securityCount,
      rebootRequired: h.rebootRequired,
      kernelState: h.kernelState,
      modified: h.modified,
      lastFullReport: h.lastFullReport,
      bootTime: h.bootTime,
      rebootRequiredSince: h.rebootRequiredSince,
      restartServiceCount: h.restartServiceCount,
    })
    .from(h)
    .orderBy(h.name);
}
