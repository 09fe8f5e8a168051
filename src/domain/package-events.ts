/**
 * What a report did to a host's or image's packages, as history events (docs/history.md): the
 * packages a diff installs, upgrades, downgrades or removes. Pure: versions are strings here; the
 * store turns them into ids. Changes of the pending candidate alone are not events (they are kept as
 * "pending since" on the row).
 */
import { compareDebianVersions } from './debian-version.ts';
import type { RecordedPackage, ReportDiff } from './report-diff.ts';

/** The kinds of change a report can make to one package. */
export const PACKAGE_CHANGE_KINDS = ['installed', 'upgraded', 'downgraded', 'removed'] as const;
export type PackageChangeKind = (typeof PACKAGE_CHANGE_KINDS)[number];

/** Every event kind: package changes, an owner's first report, and its deletion. */
export const EVENT_KINDS = [...PACKAGE_CHANGE_KINDS, 'baseline', 'deleted'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One package's change: `from` is the recorded version (none when installed), `to` the new one. */
export interface PackageChange {
  name: string;
  kind: PackageChangeKind;
  from: string | null;
  to: string | null;
}

/**
 * The package changes of `diff` against the rows it was computed from. A row rewritten with the same
 * installed version (a new candidate, or a move to another OS) is no change.
 */
export function packageChangesOf(
  recorded: ReadonlyMap<string, RecordedPackage>,
  diff: Pick<ReportDiff, 'writes' | 'removals'>,
): PackageChange[] {
  const changes: PackageChange[] = [];
  for (const row of diff.writes) {
    const before = recorded.get(row.name);
    if (!before) {
      changes.push({ name: row.name, kind: 'installed', from: null, to: row.version });
      continue;
    }
    if (before.version === row.version) continue;
    const order = compareDebianVersions(row.version, before.version);
    // Versions equal in dpkg's order but spelled apart ("1.0" and "0:1.0") count as an upgrade.
    const kind = order < 0 ? 'downgraded' : 'upgraded';
    changes.push({ name: row.name, kind, from: before.version, to: row.version });
  }
  for (const name of diff.removals) {
    const before = recorded.get(name);
    if (before) changes.push({ name, kind: 'removed', from: before.version, to: null });
  }
  return changes;
}
