/**
 * How many hosts must reboot, and how many are reporting, stale, silent or never reported
 * (docs/reboot.md): one aggregate over the host rows, for the dashboard and /metrics.
 */
import { and, count, gte, lt, sql, sum } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { LivenessCutoffs } from './inventory-list.ts';

export interface FleetHealth {
  rebootRequired: number;
  reporting: number;
  stale: number;
  silent: number;
  /** Expected hosts without a row; null without an expected-hosts file. */
  neverReported: number | null;
}

export async function readFleetHealth(
  database: Database,
  cutoffs: LivenessCutoffs,
  expected: readonly string[] | null,
): Promise<FleetHealth> {
  const { db, tables } = database;
  const h = tables.hosts;
  const when = (condition: ReturnType<typeof sql>) =>
    sum(sql`case when ${condition} then 1 else 0 end`).mapWith(Number);
  const [[row], missing] = await Promise.all([
    db
      .select({
        total: count(),
        rebootRequired: when(sql`${h.rebootRequired} = 1`),
        reporting: when(sql`${and(gte(h.lastFullReport, cutoffs.stale), gte(h.modified, cutoffs.silent))}`),
        silent: when(sql`${lt(h.modified, cutoffs.silent)}`),
      })
      .from(h),
    expected && expected.length > 0 ? findNeverReported(database, expected) : Promise.resolve([]),
  ]);
  const total = row?.total ?? 0;
  const reporting = row?.reporting ?? 0;
  const silent = row?.silent ?? 0;
  return {
    rebootRequired: row?.rebootRequired ?? 0,
    reporting,
    stale: total - reporting - silent,
    silent,
    neverReported: expected === null ? null : missing.length,
  };
}

/** The expected names that have no host row, in the order given. */
export async function findNeverReported(database: Database, expected: readonly string[]): Promise<string[]> {
  const { db, tables } = database;
  // Every host name: a few hundred kilobytes even for a large fleet, and one statement.
  const rows = await db.select({ name: tables.hosts.name }).from(tables.hosts);
  const known = new Set(rows.map((row) => row.name));
  return expected.filter((name) => !known.has(name));
}
