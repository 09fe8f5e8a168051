/**
 * The package part of a host or image report, inside its transaction: load the rows the report can
 * change, diff them (domain/report-diff.ts), write the changes and work out the owner's counters.
 * A full report (or one that moves the owner to another OS) loads every row and counts afresh; a
 * partial report loads only the rows it names and moves the counters by what it changed, so its
 * cost does not depend on how many packages the host has.
 */

import { sqlNames } from '../../db/sql-names.ts';
import { countTotals, diffReport, type ReportDiff } from '../../domain/report-diff.ts';
import { type PackageLists, SECURITY_UPGRADE } from '../../protocol/report.ts';
import type { PairChange } from '../cve/owner-findings.ts';
import type { HourlyChange } from '../history/change-hours.ts';
import { findPackageIds } from './catalog.ts';
import type { IngestContext } from './ingest-context.ts';
import type { LockedOwner, OwnerHistory, SecuritySince } from './owner-rows.ts';
import {
  loadRecordedRows,
  loadRecordedSources,
  type PackageOwner,
  type RecordedRow,
  upgradeSinceOf,
  writePackageDiff,
} from './package-rows.ts';
import { InvalidReportError } from './report-errors.ts';
import { changedPairs } from './version-sources.ts';

/** The diff that was written, the owner's counters after it and what it changed in its history. */
export interface PackageReportResult {
  diff: ReportDiff;
  counts: ReportDiff['totals'];
  history: OwnerHistory;
  /** The package changes, as the hourly rollup of "what changed" keys them (hosts add them last). */
  changes: HourlyChange[];
  /**
   * With a CVE import, the (source, version) pairs the report may have removed or added, from its own
   * diff rows (./version-sources.ts; docs/cve.md, "What a report costs"); null when the report changed
   * no installed source version, or there is no import.
   */
  cve: PairChange | null;
}

/** What applyPackageLists applies, and to what. */
export interface PackageListsInput {
  kind: PackageOwner['kind'];
  /** The host or image row, already locked by the caller. */
  owner: LockedOwner;
  osId: number;
  report: PackageLists & { update_type: string };
  /** Most packages the owner may have after the report, unless it had more before. */
  maxPackages?: number;
}

/** Applies a report's package lists to the rows of its (locked) owner on `osId`. */
export async function applyPackageLists(
  ctx: IngestContext,
  { kind, owner: locked, osId, report: lists, maxPackages = Number.POSITIVE_INFINITY }: PackageListsInput,
): Promise<PackageReportResult> {
  const owner: PackageOwner = { kind, id: locked.id };
  const full = lists.update_type === 'full';
  const osChanged = locked.osId !== osId;
  const partial = !full && !osChanged;
  const packageIds = partial ? [...(await findPackageIds(ctx, namesOf(lists))).values()] : undefined;
  const recorded = await loadRecordedRows(ctx, owner, packageIds);
  if (osChanged) await loadRecordedSources(ctx, owner, recorded);
  const diff = diffReport(recorded, lists, { full, osChanged });
  const counts = partial
    ? movedCounts(locked.counts, countTotals(recorded.values()), diff.totals)
    : diff.totals;
  // Partial reports could otherwise grow a host past the cap a report at a time.
  if (counts.packages > maxPackages && counts.packages > locked.counts.packages)
    throw new InvalidReportError(
      `the ${kind} would have ${counts.packages} packages, more than MAX_REPORT_PACKAGES (${maxPackages}) allows`,
    );
  // Installed versions the report takes off rows (removed, or moved to another installed version).
  const replacedVersionIds: number[] = [];
  const changedPackageIds = new Set<number>();
  for (const name of diff.removals) {
    const row = recorded.get(name);
    if (row) {
      replacedVersionIds.push(row.versionId);
      changedPackageIds.add(row.packageId);
    }
  }
  for (const row of diff.writes) {
    const before = recorded.get(row.name);
    if (before && before.version !== row.version) replacedVersionIds.push(before.versionId);
  }
  const history = { reportType: lists.update_type, baseline: locked.created };
  const { upgraded, changes, installedChanged } = await writePackageDiff(
    ctx,
    owner,
    osId,
    recorded,
    diff,
    history,
  );
  const securitySince = partial
    ? await movedSecuritySince(ctx, owner, locked.securitySince, recorded, diff)
    : securitySinceOf(recorded, diff, ctx.now.getTime());
  const historyFacts = { upgraded, securitySince };
  // A new owner or one moved to another OS has all its pairs computed (refreshOwnerFindings).
  if (locked.created || osChanged || (replacedVersionIds.length === 0 && installedChanged.length === 0))
    return { diff, counts, history: historyFacts, changes, cve: null };
  for (const row of installedChanged) changedPackageIds.add(row.packageId);
  const cve = await changedPairs(ctx, kind, locked.cveFeedId, {
    replacedVersionIds,
    writtenVersionIds: installedChanged.map((row) => row.versionId),
    packageIds: changedPackageIds,
    // A full report loaded every row: the rows it left alone are the owner's other rows.
    ...(full ? { otherVersionIds: unchangedVersionIds(recorded, changedPackageIds) } : {}),
  });
  return { diff, counts, history: historyFacts, changes, cve };
}

/** The installed version ids of the recorded rows whose package the report did not change. */
function* unchangedVersionIds(recorded: ReadonlyMap<string, RecordedRow>, changed: ReadonlySet<number>) {
  for (const row of recorded.values()) if (!changed.has(row.packageId)) yield row.versionId;
}

function isSecurity(row: { upgradeType: string | null }, pending: boolean): boolean {
  return pending && row.upgradeType === SECURITY_UPGRADE;
}

/** The oldest "pending since" of a security upgrade once `diff` applies to every recorded row. */
function securitySinceOf(recorded: ReadonlyMap<string, RecordedRow>, diff: ReportDiff, now: number) {
  let oldest: number | null = null;
  const keep = (since: number | null) => {
    if (since !== null && (oldest === null || since < oldest)) oldest = since;
  };
  const rewritten = new Set<string>(diff.removals);
  for (const row of diff.writes) {
    rewritten.add(row.name);
    if (isSecurity(row, row.upgrade !== null)) keep(upgradeSinceOf(recorded.get(row.name), row, now));
  }
  for (const [name, row] of recorded)
    if (!rewritten.has(name) && isSecurity(row, row.upgradeVersion !== null)) keep(row.upgradeSince);
  return oldest;
}

/**
 * The same after a partial report, from the owner's previous value: the rows it wrote can only make
 * it older, unless a row that held the oldest one lost it; then it is read back from the rows: first
 * whether another row still holds it, else the minimum over the owner's rows.
 */
async function movedSecuritySince(
  ctx: IngestContext,
  owner: PackageOwner,
  previous: number | null,
  recorded: ReadonlyMap<string, RecordedRow>,
  diff: ReportDiff,
): Promise<SecuritySince> {
  const now = ctx.now.getTime();
  let oldest = previous;
  let lost = false;
  const after = new Map<string, number | null>();
  for (const row of diff.writes) {
    const since = isSecurity(row, row.upgrade !== null)
      ? upgradeSinceOf(recorded.get(row.name), row, now)
      : null;
    after.set(row.name, since);
    if (since !== null && (oldest === null || since < oldest)) oldest = since;
  }
  for (const name of diff.removals) after.set(name, null);
  for (const [name, since] of after) {
    const before = recorded.get(name);
    if (before && isSecurity(before, before.upgradeVersion !== null) && before.upgradeSince === previous)
      lost ||= since !== previous;
  }
  if (!lost) return oldest;
  const { database } = ctx;
  const rows = owner.kind === 'host' ? database.tables.hostPackages : database.tables.imagePackages;
  const r = sqlNames(rows);
  const ownerColumn =
    owner.kind === 'host'
      ? sqlNames(database.tables.hostPackages).hostId
      : sqlNames(database.tables.imagePackages).imageId;
  // A row's "since" is NULL without a candidate, so MIN and = skip those rows by themselves. Not
  // `upgradable_version_id IS NOT NULL`: MariaDB then builds a rowid filter from that column's
  // index, a scan of every pending upgrade of the fleet, for each report.
  const securityRows = `FROM ${r.$table} WHERE ${ownerColumn} = ? AND ${r.upgradeType} = ?`;
  const minimum = `(SELECT MIN(${r.upgradeSince}) ${securityRows})`;
  // Computed by the owner row's UPDATE (owner-rows.ts), not a round trip of its own. Upgrades
  // announced together share their "since": another row usually still holds it, and the first one
  // found ends the search (COALESCE reads the minimum, every security row of the owner, only if not).
  if (previous !== null && (oldest === null || oldest >= previous))
    return {
      text: `COALESCE((SELECT ${r.upgradeSince} ${securityRows} AND ${r.upgradeSince} = ? LIMIT 1), ${minimum})`,
      params: [
        owner.id,
        SECURITY_UPGRADE,
        database.spelling.timestampParam(new Date(previous)),
        owner.id,
        SECURITY_UPGRADE,
      ],
    };
  return { text: minimum, params: [owner.id, SECURITY_UPGRADE] };
}

/** The owner's counters after a partial report moved the rows it named from `before` to `after`. */
function movedCounts(
  owner: ReportDiff['totals'],
  before: ReportDiff['totals'],
  after: ReportDiff['totals'],
): ReportDiff['totals'] {
  return {
    packages: owner.packages + after.packages - before.packages,
    upgrades: owner.upgrades + after.upgrades - before.upgrades,
    security: owner.security + after.security - before.security,
  };
}

/** Every package name a report mentions. */
function namesOf(lists: PackageLists): Set<string> {
  const names = new Set<string>();
  for (const item of lists.installed) names.add(item.name);
  for (const item of lists.uninstalled) names.add(item.name);
  for (const item of lists.upgradable) names.add(item.name);
  return names;
}
