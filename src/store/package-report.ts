/**
 * The package part of a host or image report, inside its transaction: load the rows the report can
 * change, diff them (domain/report-diff.ts), write the changes and work out the owner's counters.
 * A full report (or one that moves the owner to another OS) loads every row and counts afresh; a
 * partial report loads only the rows it names and moves the counters by what it changed, so its
 * cost does not depend on how many packages the host has.
 */
import type { Database } from '../db/open-database.ts';
import type { AppDb } from '../db/types.ts';
import { countTotals, diffReport, type ReportDiff } from '../domain/report-diff.ts';
import type { PackageLists } from '../protocol/report.ts';
import { findPackageIds } from './catalog.ts';
import type { CatalogScope } from './catalog-cache.ts';
import type { LockedOwner } from './owner-rows.ts';
import {
  loadRecordedRows,
  loadRecordedSources,
  type PackageOwner,
  writePackageDiff,
} from './package-rows.ts';

/** The diff that was written and the owner's counters after it. */
export interface PackageReportResult {
  diff: ReportDiff;
  counts: ReportDiff['totals'];
}

/** Applies `lists` to the rows of `locked` (already locked by the caller) on `osId`. */
export async function applyPackageLists(
  tx: AppDb,
  database: Database,
  cache: CatalogScope,
  kind: PackageOwner['kind'],
  locked: LockedOwner,
  osId: number,
  lists: PackageLists & { update_type: string },
  now: Date,
): Promise<PackageReportResult> {
  const owner: PackageOwner = { kind, id: locked.id };
  const full = lists.update_type === 'full';
  const osChanged = locked.osId !== osId;
  const partial = !full && !osChanged;
  const packageIds = partial
    ? [...(await findPackageIds(tx, database, cache, namesOf(lists))).values()]
    : undefined;
  const recorded = await loadRecordedRows(tx, database, cache, owner, packageIds);
  if (osChanged) await loadRecordedSources(tx, database, owner, recorded);
  const diff = diffReport(recorded, lists, { full, osChanged });
  await writePackageDiff(tx, database, cache, owner, osId, recorded, diff, now);
  if (!partial) return { diff, counts: diff.totals };
  const before = countTotals(recorded.values());
  return {
    diff,
    counts: {
      packages: locked.counts.packages + diff.totals.packages - before.packages,
      upgrades: locked.counts.upgrades + diff.totals.upgrades - before.upgrades,
      security: locked.counts.security + diff.totals.security - before.security,
    },
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
