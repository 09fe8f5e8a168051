/** The host or image row a report writes: locked first, so that reports for it serialize everywhere, and updated last. */
import { sqlNames } from '../../db/sql-names.ts';
import type { Tables } from '../../db/types.ts';
import type { ReportDiff } from '../../domain/report-diff.ts';
import { toMillis } from '../../lib/raw-timestamp.ts';
import type { CounterMove } from '../cve/owner-findings.ts';
import type { HostRebootState } from './host-reboot-state.ts';
import type { IngestContext } from './ingest-context.ts';
import { TransientConflictError } from './report-errors.ts';

export type OwnerKind = 'host' | 'image';

/** The locked row: its id, the OS it was recorded with, its package counters and history facts. */
export interface LockedOwner {
  id: number;
  osId: number;
  /** A host's kernel as recorded before the report (undefined for images). */
  kernelId?: number;
  /** The row was created by this report. */
  created: boolean;
  counts: ReportDiff['totals'];
  /** When its oldest pending security upgrade was first seen (UTC ms), or null. */
  securitySince: number | null;
  /**
   * It has CVE pairs (docs/cve.md, "Stored findings"): read with the lock, so that a report that
   * changes pairs needs no query of its own to know (an owner without pairs is computed whole).
   */
  hasCvePairs: boolean;
  /**
   * The current CVE import's id as this statement read it, not locked (docs/cve.md, "What a report
   * costs"): a report that changes pairs locks it with its first CVE query; null before any import.
   */
  cveFeedId: number | null;
}

/**
 * The oldest pending security upgrade's "since" after a report (UTC ms), or null; or, when the rows
 * must be read for it, the SQL expression (over the owner's package rows) the owner's UPDATE sets it to.
 */
export type SecuritySince = number | null | { text: string; params: readonly unknown[] };

/** What a report's history changes on its owner row (docs/history.md). */
export interface OwnerHistory {
  /** The report upgraded a package: `last_upgraded` becomes the report's time. */
  upgraded: boolean;
  securitySince: SecuritySince;
}

/** The columns hosts and images share, by their SQL names (hosts also have a kernel). */
function ownerNamesOf({ database }: IngestContext, kind: OwnerKind) {
  const table: Tables['hosts'] | Tables['images'] =
    kind === 'host' ? database.tables.hosts : database.tables.images;
  const names = sqlNames(database.tables.images);
  return { table, names: kind === 'host' ? sqlNames(database.tables.hosts) : names };
}

/**
 * Locks the host or image `name` until the transaction ends, creating it first if needed (on
 * `osId`, the caller then updates it). On MySQL the row lock makes a second report for the same
 * name, on any server instance, wait for this one to commit.
 */
export async function lockOwnerRow(
  ctx: IngestContext,
  kind: OwnerKind,
  name: string,
  initial: { osId: number; kernelId?: number },
): Promise<LockedOwner> {
  const { tx, database, now } = ctx;
  const { table, names: o } = ownerNamesOf(ctx, kind);
  const kernel = kind === 'host' ? `${sqlNames(database.tables.hosts).kernelId} AS kernel_id, ` : '';
  const pairs =
    kind === 'host' ? sqlNames(database.tables.hostCvePairs) : sqlNames(database.tables.imageCvePairs);
  const pairOwner = 'hostId' in pairs ? pairs.hostId : pairs.imageId;
  const f = sqlNames(database.tables.cveFeeds);
  // The subqueries lock nothing: one entry of the pairs' unique index (owner first), and the one
  // current row of the imports.
  const text = `SELECT ${o.id} AS id, ${o.osId} AS os_id, ${kernel}${o.packageCount} AS package_count,
                       ${o.upgradeCount} AS upgrade_count, ${o.securityCount} AS security_count,
                       ${o.securitySince} AS security_since,
                       EXISTS (SELECT 1 FROM ${pairs.$table} cp WHERE cp.${pairOwner} = o.${o.id}) AS has_cve_pairs,
                       (SELECT cf.${f.id} FROM ${f.$table} cf WHERE cf.${f.state} = ?) AS cve_feed_id
                FROM ${o.$table} o WHERE o.${o.name} = ?${database.spelling.forUpdateClause}`;
  const select = async () =>
    (
      await tx.sql.select<{
        id: number;
        os_id: number;
        kernel_id?: number;
        package_count: number;
        upgrade_count: number;
        security_count: number;
        security_since: unknown;
        has_cve_pairs: unknown;
        cve_feed_id: number | null;
      }>(text, ['current', name])
    )[0];
  let row = await select();
  const created = !row;
  if (!row) {
    await tx.insertIgnore(table, [{ name, ...initial, created: now, modified: now }]);
    row = await select();
  }
  if (!row) throw new TransientConflictError(`${kind} '${name}' vanished while being created`);
  return {
    id: Number(row.id),
    osId: Number(row.os_id),
    ...(row.kernel_id === undefined ? {} : { kernelId: Number(row.kernel_id) }),
    created,
    counts: {
      packages: Number(row.package_count),
      upgrades: Number(row.upgrade_count),
      security: Number(row.security_count),
    },
    securitySince: toMillis(row.security_since),
    hasCvePairs: Number(row.has_cve_pairs) === 1,
    cveFeedId: row.cve_feed_id === null ? null : Number(row.cve_feed_id),
  };
}

/**
 * Writes the owner's OS (and a host's kernel), its counters after the report (the CVE counters moved
 * by `cve`), and the report's time; for a host also its reboot state and, after a full report, the
 * time of its last full report.
 */
export async function updateOwnerRow(
  ctx: IngestContext,
  kind: OwnerKind,
  id: number,
  fields: {
    osId: number;
    kernelId?: number;
    counts: ReportDiff['totals'];
    reboot?: HostRebootState;
    fullReport?: boolean;
    history?: OwnerHistory;
    cve?: CounterMove;
  },
): Promise<void> {
  const { tx, database, now } = ctx;
  const { names: o } = ownerNamesOf(ctx, kind);
  const stamp = (date: Date | null) => (date === null ? null : database.spelling.timestampParam(date));
  const set = [o.osId, o.packageCount, o.upgradeCount, o.securityCount, o.modified].map(
    (column) => `${column} = ?`,
  );
  const values: unknown[] = [
    fields.osId,
    fields.counts.packages,
    fields.counts.upgrades,
    fields.counts.security,
    stamp(now),
  ];
  if (fields.history) {
    const since = fields.history.securitySince;
    if (since === null || typeof since === 'number') {
      set.push(`${o.securitySince} = ?`);
      values.push(since === null ? null : stamp(new Date(since)));
    } else {
      set.push(`${o.securitySince} = ${since.text}`);
      values.push(...since.params);
    }
    if (fields.history.upgraded) {
      set.push(`${o.lastUpgraded} = ?`);
      values.push(stamp(now));
    }
  }
  if (fields.cve && (fields.cve.fixable !== 0 || fields.cve.urgent !== 0)) {
    set.push(`${o.cveFixable} = ${o.cveFixable} + ?`, `${o.cveUrgent} = ${o.cveUrgent} + ?`);
    values.push(fields.cve.fixable, fields.cve.urgent);
  }
  if (kind === 'host') {
    const h = sqlNames(database.tables.hosts);
    if (fields.kernelId !== undefined) {
      set.push(`${h.kernelId} = ?`);
      values.push(fields.kernelId);
    }
    if (fields.fullReport) {
      set.push(`${h.lastFullReport} = ?`);
      values.push(stamp(now));
    }
    const reboot = fields.reboot;
    if (reboot) {
      // MySQL assigns left to right and later assignments see earlier ones: each "since" column
      // comes before the column it compares with.
      set.push(
        `${h.kernelStateSince} = CASE WHEN ${h.kernelState} = ? AND ${h.kernelStateSince} IS NOT NULL THEN ${h.kernelStateSince} ELSE ? END`,
        `${h.kernelState} = ?`,
        `${h.kernelStateReason} = ?`,
        `${h.rebootRequiredSince} = CASE WHEN ? = 1 THEN COALESCE(${h.rebootRequiredSince}, ?) ELSE NULL END`,
        `${h.rebootRequired} = ?`,
        `${h.rebootReasons} = ?`,
      );
      const required = reboot.rebootRequired ? 1 : 0;
      values.push(reboot.kernelState, stamp(now), reboot.kernelState, reboot.kernelStateReason);
      values.push(required, stamp(now), required, reboot.rebootReasons);
      if (reboot.agent) {
        set.push(`${h.bootTime} = ?`, `${h.restartServices} = ?`, `${h.restartServiceCount} = ?`);
        values.push(
          stamp(reboot.agent.bootTime),
          reboot.agent.restartServices,
          reboot.agent.restartServiceCount,
        );
      }
    }
  }
  await tx.sql.run(`UPDATE ${o.$table} SET ${set.join(', ')} WHERE ${o.id} = ?`, [...values, id]);
}
