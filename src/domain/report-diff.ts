/**
 * The package part of a host or image report (docs/protocol.md, "What a report does"), as a pure
 * function: given the rows recorded for the host and the report's lists, it returns the rows to write
 * and to delete.
 * Versions are plain strings here; the store turns them into ids.
 */
import { SECURITY_UPGRADE } from '../protocol/report.ts';

/** A host (or image) package row as recorded, by version strings. */
export interface RecordedPackage {
  name: string;
  version: string;
  upgradeVersion: string | null;
  upgradeType: string | null;
  /** Source package of the installed version; needed only when the rows move to another OS. */
  source?: string;
  /** Source package of the candidate version; same remark. */
  upgradeSource?: string;
}

export interface ReportInstalledItem {
  name: string;
  version: string;
  source?: string;
  source_version?: string;
}

export interface ReportUpgradableItem {
  name: string;
  version_from: string;
  version_to: string;
  source: string;
  type?: string | null;
}

/** The lists of a report, already validated. */
export interface ReportPackageLists {
  installed: readonly ReportInstalledItem[];
  uninstalled: readonly { name: string }[];
  upgradable: readonly ReportUpgradableItem[];
}

/** A row as it must be after the report. `source` is only a hint for creating a missing version. */
export interface DesiredPackage {
  name: string;
  version: string;
  source: string | undefined;
  /** The installed version's source version, when an installed item reports it (a hint as `source`). */
  sourceVersion?: string | undefined;
  upgrade: { version: string; source: string | undefined } | null;
  upgradeType: string | null;
}

export interface ReportDiffOptions {
  /** `update_type` is `full`: packages the report does not name are removed, stale upgrades cleared. */
  full: boolean;
  /** The report names another OS than the recorded one: every surviving row must be rewritten. */
  osChanged: boolean;
}

export interface ReportDiff {
  /** Rows to insert (`isNew`) or rewrite; unchanged rows are not listed. */
  writes: (DesiredPackage & { isNew: boolean })[];
  /** Names of recorded rows to delete. */
  removals: string[];
  /**
   * Versions named by `installed` items that `uninstalled` then removed: upstream creates them before
   * deleting the row, so their catalog rows exist afterwards (until GC); kept for the same state.
   */
  catalogOnly: ReportInstalledItem[];
  /** Totals after the report, for the host/image counters. */
  totals: { packages: number; upgrades: number; security: number };
}

interface WorkingRow extends DesiredPackage {
  /** Created in this report from an upgradable item: a later duplicate item replaces it whole. */
  fromUpgradable: boolean;
}

/**
 * Computes the resulting state, with upstream's bugs fixed (docs/protocol.md, "Differences from
 * upstream"): duplicates in `upgradable` let the last one win; a name in `uninstalled` ends absent
 * even if `installed` or `upgradable` also name it; a full report that changes the OS cleans up like
 * any other; a candidate equal to the installed version means no upgrade. A recorded package that a
 * full report lists only in `upgradable` is kept (upstream kept or deleted it depending on whether its
 * candidate changed): after a full report the host has exactly the packages named in `installed` or
 * `upgradable` (minus `uninstalled`).
 *
 * `recorded` may hold only the rows the report names (a partial report cannot touch others); the
 * totals then cover those rows only (see countTotals for the counters' delta). Linear in the report
 * and `recorded`; a recorded row is copied only when the report changes it.
 */
export function diffReport(
  recorded: ReadonlyMap<string, RecordedPackage>,
  lists: ReportPackageLists,
  options: ReportDiffOptions,
): ReportDiff {
  /** Rows the report touched, copy-on-write; names absent here keep their recorded row. */
  const touched = new Map<string, WorkingRow>();
  /** Recorded names the report deletes. */
  const gone = new Set<string>();
  const removed = new Set<string>();
  for (const item of lists.uninstalled) removed.add(item.name);
  const named = new Set<string>();
  const namedUpgradable = new Set<string>();
  const touch = (name: string): WorkingRow | undefined => {
    const row = touched.get(name);
    if (row || gone.has(name)) return row;
    const before = recorded.get(name);
    if (!before) return undefined;
    const copy = workingRowOf(name, before);
    touched.set(name, copy);
    return copy;
  };

  const catalogOnly: ReportInstalledItem[] = [];
  // The size checks skip lookups that cannot hit: a steady report removes and changes almost nothing.
  for (const item of lists.installed) {
    if (removed.size > 0 && removed.has(item.name)) {
      if (recorded.get(item.name)?.version !== item.version) catalogOnly.push(item);
      continue;
    }
    if (options.full) named.add(item.name);
    const version =
      (touched.size > 0 ? touched.get(item.name)?.version : undefined) ?? recorded.get(item.name)?.version;
    if (version === item.version) continue;
    touched.set(item.name, {
      name: item.name,
      version: item.version,
      source: item.source,
      sourceVersion: item.source_version,
      upgrade: null,
      upgradeType: null,
      fromUpgradable: false,
    });
  }
  for (const name of removed) {
    touched.delete(name);
    if (recorded.has(name)) gone.add(name);
  }

  for (const item of lists.upgradable) {
    if (removed.has(item.name)) continue;
    if (options.full) {
      named.add(item.name);
      namedUpgradable.add(item.name);
    }
    const row = touch(item.name);
    if (!row || row.fromUpgradable) {
      const pending = item.version_to !== item.version_from;
      touched.set(item.name, {
        name: item.name,
        version: item.version_from,
        source: item.source,
        upgrade: pending ? { version: item.version_to, source: item.source } : null,
        upgradeType: pending ? (item.type ?? null) : null,
        fromUpgradable: true,
      });
      continue;
    }
    if (row.upgrade && row.upgrade.version === item.version_to) {
      // Same candidate: the upgrade stays; a type stated by the agent still corrects the label.
      if (item.type !== undefined) row.upgradeType = item.type;
      continue;
    }
    if (item.version_to === row.version) {
      row.upgrade = null;
      row.upgradeType = null;
    } else {
      row.upgrade = { version: item.version_to, source: item.source };
      row.upgradeType = item.type ?? null;
    }
  }

  if (options.full) {
    const stale = (name: string, hasUpgrade: boolean) => hasUpgrade && !namedUpgradable.has(name);
    for (const [name, before] of recorded) {
      if (gone.size > 0 && gone.has(name)) continue;
      if (!named.has(name)) {
        touched.delete(name);
        gone.add(name);
        continue;
      }
      const row = touched.size > 0 ? touched.get(name) : undefined;
      if (!stale(name, row ? row.upgrade !== null : before.upgradeVersion !== null)) continue;
      const cleared = row ?? (touch(name) as WorkingRow);
      cleared.upgrade = null;
      cleared.upgradeType = null;
    }
    for (const [name, row] of touched) {
      if (!recorded.has(name) && stale(name, row.upgrade !== null)) {
        row.upgrade = null;
        row.upgradeType = null;
      }
    }
  }

  const writes: ReportDiff['writes'] = [];
  const removals: string[] = [];
  const totals = { packages: 0, upgrades: 0, security: 0 };
  for (const [name, before] of recorded) {
    if (gone.size > 0 && gone.has(name)) {
      removals.push(name);
      continue;
    }
    const row = touched.size > 0 ? touched.get(name) : undefined;
    totals.packages++;
    if (row ? row.upgrade !== null : before.upgradeVersion !== null) {
      totals.upgrades++;
      if ((row ? row.upgradeType : before.upgradeType) === SECURITY_UPGRADE) totals.security++;
    }
    if (row) {
      if (options.osChanged || !isSameRow(before, row)) writes.push(desiredOf(row, false));
    } else if (options.osChanged) {
      writes.push(desiredOf(workingRowOf(name, before), false));
    }
  }
  for (const [name, row] of touched) {
    if (recorded.has(name)) continue;
    totals.packages++;
    if (row.upgrade) {
      totals.upgrades++;
      if (row.upgradeType === SECURITY_UPGRADE) totals.security++;
    }
    writes.push(desiredOf(row, true));
  }
  return { writes, removals, catalogOnly, totals };
}

/** Package, upgrade and security-upgrade counts of recorded rows (what diffReport's totals count). */
export function countTotals(rows: Iterable<RecordedPackage>): ReportDiff['totals'] {
  const totals = { packages: 0, upgrades: 0, security: 0 };
  for (const row of rows) {
    totals.packages++;
    if (row.upgradeVersion !== null) {
      totals.upgrades++;
      if (row.upgradeType === SECURITY_UPGRADE) totals.security++;
    }
  }
  return totals;
}

function workingRowOf(name: string, before: RecordedPackage): WorkingRow {
  return {
    name,
    version: before.version,
    source: before.source,
    upgrade:
      before.upgradeVersion === null
        ? null
        : { version: before.upgradeVersion, source: before.upgradeSource },
    upgradeType: before.upgradeType,
    fromUpgradable: false,
  };
}

function desiredOf(row: WorkingRow, isNew: boolean): DesiredPackage & { isNew: boolean } {
  return {
    name: row.name,
    version: row.version,
    source: row.source,
    sourceVersion: row.sourceVersion,
    upgrade: row.upgrade,
    upgradeType: row.upgradeType,
    isNew,
  };
}

function isSameRow(before: RecordedPackage, after: DesiredPackage): boolean {
  return (
    before.version === after.version &&
    before.upgradeVersion === (after.upgrade?.version ?? null) &&
    (before.upgradeType ?? null) === (after.upgradeType ?? null)
  );
}
