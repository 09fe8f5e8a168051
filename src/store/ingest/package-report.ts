/**
 * The package part of a host or image report, inside its transaction: load the rows the report can
 * change, diff them (domain/report-diff.ts), write the changes and work out the owner's counters.
 * A full report (or one that moves the owner to another OS) loads every row and counts afresh; a
 * partial report loads only the rows it names and moves the counters by what it changed, so its
 * cost does not depend on how many packages the host has.
 */
import { countTotals, diffReport, type ReportDiff } from '../../domain/report-diff.ts';
import type { PackageLists } from '../../protocol/report.ts';
import { currentFindingFeed, type FindingFeed, sourcesOfPackages } from '../cve/owner-findings.ts';
import { findPackageIds } from './catalog.ts';
import type { IngestContext } from './ingest-context.ts';
import type { LockedOwner } from './owner-rows.ts';
import {
  loadRecordedRows,
  loadRecordedSources,
  type PackageOwner,
  writePackageDiff,
} from './package-rows.ts';
import { InvalidReportError } from './report-errors.ts';

/** The diff that was written and the owner's counters after it. */
export interface PackageReportResult {
  diff: ReportDiff;
  counts: ReportDiff['totals'];
  /**
   * With a CVE import, the source packages whose installed versions the report changed (before or
   * after), whose findings must be computed again (docs/cve.md, "Stored findings"); null when the
   * report changed no installed version, or there is no import.
   */
  cve: { feed: FindingFeed; sources: Set<string> } | null;
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
  // Sources of rows the report removes or moves to another installed version, read before the write.
  const replaced = [
    ...diff.removals.map((name) => recorded.get(name)),
    ...diff.writes.map((row) => {
      const before = recorded.get(row.name);
      return before && before.version !== row.version ? before : undefined;
    }),
  ].flatMap((row) => (row ? [row.packageId] : []));
  const installedChanges = replaced.length > 0 || diff.writes.some((row) => !recorded.has(row.name));
  const feed = installedChanges ? await currentFindingFeed(ctx.database, ctx.tx.sql) : null;
  const before = feed ? await sourcesOfPackages(ctx.database, ctx.tx.sql, kind, owner.id, replaced) : null;
  const installedChanged = await writePackageDiff(ctx, owner, osId, recorded, diff);
  if (!feed || !before) return { diff, counts, cve: null };
  const after = await sourcesOfPackages(ctx.database, ctx.tx.sql, kind, owner.id, installedChanged);
  return { diff, counts, cve: { feed, sources: new Set([...before, ...after]) } };
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
