/** Host reports and host deletion (docs/protocol.md, "Host reports" and "Host deletion"). */
import { eq } from 'drizzle-orm';
import { sqlNames } from '../../db/sql-names.ts';
import type { ReportDiff } from '../../domain/report-diff.ts';
import { type HostReport, isStorableText } from '../../protocol/report.ts';
import { subtractOwnerRows } from '../counts/package-count-deltas.ts';
import { forgetOwnerFindings, refreshOwnerFindings } from '../cve/owner-findings.ts';
import { addChangeHours } from '../history/change-hours.ts';
import { type DeletedBy, recordTombstones } from '../history/tombstones.ts';
import type { Store } from '../store.ts';
import { resolveKernel, resolveOs } from './catalog.ts';
import { hostRebootState } from './host-reboot-state.ts';
import type { IngestContext } from './ingest-context.ts';
import { lockOwnerRow, updateOwnerRow } from './owner-rows.ts';
import { applyPackageLists } from './package-report.ts';

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
  store: Store,
  report: HostReport,
  { now = new Date(), maxPackages }: ReportOptions = {},
): Promise<ReportOutcome> {
  const name = report.hostname;
  // Judged from the report alone, before the transaction: no query.
  const reboot = hostRebootState(report);
  const fullReport = report.update_type === 'full';
  return store.reports.run(`host:${name}`, async (tx, cache) => {
    const ctx: IngestContext = { tx, database: store.database, cache, counts: store.counts, now };
    const osId = await resolveOs(ctx, report.os);
    const kernelId = await resolveKernel(ctx, osId, report.running_kernel);
    const host = await lockOwnerRow(ctx, 'host', name, { osId, kernelId });
    const lists = { kind: 'host', owner: host, osId, report, maxPackages } as const;
    const { diff, counts, history, changes, cve } = await applyPackageLists(ctx, lists);
    // The CVE findings of what changed (docs/cve.md, "Stored findings"): nothing when nothing did.
    const scope =
      host.created || host.osId !== osId ? 'all' : { change: cve, kernel: host.kernelId !== kernelId };
    const owner = {
      id: host.id,
      os: report.os,
      kernelBanner: report.running_kernel.version,
      hasPairs: host.hasCvePairs,
    };
    const cveCounters = await refreshOwnerFindings(tx, store.database, 'host', owner, scope, host.cveFeedId);
    await updateOwnerRow(ctx, 'host', host.id, {
      osId,
      kernelId,
      counts,
      reboot,
      fullReport,
      history,
      cve: cveCounters,
    });
    // Last: reports of hosts making the same change in the same hour share its row, and on MySQL
    // wait for each other's lock on it until commit (docs/history.md, "What changed by the hour").
    await addChangeHours(tx, store.database, now, changes);
    return summarize(diff, counts);
  });
}

/**
 * Deletes a host and its package rows, taking them off the packages' counts first (its kernel stays
 * until GC), and leaves a tombstone saying who deleted it (`by`); false if there is no such host.
 */
export async function deleteHost(
  store: Store,
  name: string,
  { by = 'API', now = new Date() }: { by?: DeletedBy; now?: Date } = {},
): Promise<boolean> {
  // No host has such a name (reports refuse it), and on MariaDB 'h1 ' would select host 'h1'.
  if (!isStorableText(name)) return false;
  const { database } = store;
  return store.reports.run(`host:${name}`, async (tx) => {
    const { hosts } = database.tables;
    const h = sqlNames(hosts);
    const [host] = await tx.sql.select<{ id: number }>(
      `SELECT ${h.id} AS id FROM ${h.$table} WHERE ${h.name} = ?${database.spelling.forUpdateClause}`,
      [name],
    );
    if (!host) return false;
    await subtractOwnerRows(tx, database, store.counts, 'host', [Number(host.id)]);
    await forgetOwnerFindings(tx, database, 'host', [Number(host.id)]);
    await tx.db.delete(hosts).where(eq(hosts.id, Number(host.id)));
    await recordTombstones(tx, database, 'host', [{ id: Number(host.id), name }], by, now);
    return true;
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
