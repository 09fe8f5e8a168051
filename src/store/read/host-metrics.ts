/**
 * Every host's figures for /metrics (docs/reboot.md, "Metrics"): one pass over the host rows, nothing
 * per package. Read by name in pages of HOST_METRICS_PAGE rows with a turn of the event loop between
 * them: read at once on SQLite, 10,000 hosts held every request (a report too) for tens of ms.
 */
import { asc } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { keysetPages, type SortKey } from './keyset.ts';

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

const HOST_METRICS_PAGE = 2000;

export async function readHostMetrics(database: Database): Promise<HostMetricsRow[]> {
  const { db, tables } = database;
  const h = tables.hosts;
  const keys: SortKey<HostMetricsRow>[] = [{ column: h.name, of: (row) => row.name }];
  const rows: HostMetricsRow[] = [];
  const pages = keysetPages(keys, HOST_METRICS_PAGE, (position, limit) =>
    db
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
      .where(position)
      .orderBy(asc(h.name))
      .limit(limit),
  );
  for await (const page of pages) rows.push(...page);
  return rows;
}
