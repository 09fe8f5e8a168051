/** Host reports and host deletion (docs/protocol.md, "Host reports" and "Host deletion"). */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/open-database.ts';
import type { ReportDiff } from '../domain/report-diff.ts';
import { type HostReport, isStorableText } from '../protocol/report.ts';
import { resolveKernel, resolveOs } from './catalog.ts';
import { lockOwnerRow } from './owner-rows.ts';
import { subtractOwnerRows } from './package-count-deltas.ts';
import { applyPackageLists } from './package-report.ts';
import { runReport } from './report-runner.ts';

/** What a report changed, for the log line. */
export interface ReportOutcome {
  added: number;
  changed: number;
  removed: number;
  /** Pending upgrades after the report. */
  upgradable: number;
  packages: number;
}

/** When a report is applied, and what it may not do. */
export interface ReportOptions {
  now?: Date;
  /** Most packages the report may leave the host or image with (MAX_REPORT_PACKAGES). */
  maxPackages?: number;
}

/**
 * Applies a validated host report in one transaction: OS, kernel, host row, package rows and
 * counters. Throws InvalidOsNameError / InvalidReportError (nothing written) for input to fix.
 */
export function applyHostReport(
  database: Database,
  report: HostReport,
  { now = new Date(), maxPackages }: ReportOptions = {},
): Promise<ReportOutcome> {
  const name = report.hostname;
  return runReport(database, `host:${name}`, async (tx, cache) => {
    const osId = await resolveOs(tx, database, cache, report.os);
    const kernelId = await resolveKernel(tx, database, cache, osId, report.running_kernel, now);
    const host = await lockOwnerRow(tx, database, 'host', name, {
      osId,
      kernelId,
      created: now,
      modified: now,
    });
    const lists = { kind: 'host', owner: host, osId, report, now, maxPackages } as const;
    const { diff, counts } = await applyPackageLists(tx, database, cache, lists);
    await database.dialect.runRaw(
      tx,
      `UPDATE hosts SET os_id = ?, kernel_id = ?, package_count = ?, upgrade_count = ?, security_count = ?,
       modified = ? WHERE id = ?`,
      [
        osId,
        kernelId,
        counts.packages,
        counts.upgrades,
        counts.security,
        database.dialect.timestampParam(now),
        host.id,
      ],
    );
    return summarize(diff, counts);
  });
}

/**
 * Deletes a host and its package rows, taking them off the packages' counts first (its kernel stays
 * until GC); false if there is no such host.
 */
export async function deleteHost(database: Database, name: string): Promise<boolean> {
  // No host has such a name (reports refuse it), and on MariaDB 'h1 ' would select host 'h1'.
  if (!isStorableText(name)) return false;
  return runReport(database, `host:${name}`, async (tx) => {
    const { hosts } = database.tables;
    const [host] = await database.dialect.selectRaw<{ id: number }>(
      tx,
      `SELECT id FROM hosts WHERE name = ?${database.dialect.forUpdateClause}`,
      [name],
    );
    if (!host) return false;
    await subtractOwnerRows(tx, database, 'host', [Number(host.id)]);
    const deleted = await tx.delete(hosts).where(eq(hosts.id, Number(host.id)));
    return database.dialect.affectedRows(deleted) > 0;
  });
}

/** Counts of a diff and the owner's counters after it, for the log line. */
export function summarize(diff: ReportDiff, counts: ReportDiff['totals']): ReportOutcome {
  const added = diff.writes.filter((row) => row.isNew).length;
  return {
    added,
    changed: diff.writes.length - added,
    removed: diff.removals.length,
    upgradable: counts.upgrades,
    packages: counts.packages,
  };
}
