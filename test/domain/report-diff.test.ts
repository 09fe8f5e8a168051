/** The resulting state of spec §3.4.1, rule by rule, on version strings. */
import { describe, expect, test } from 'bun:test';
import {
  countTotals,
  diffReport,
  type RecordedPackage,
  type ReportDiff,
  type ReportDiffOptions,
  type ReportPackageLists,
} from '../../src/domain/report-diff.ts';

function recorded(...rows: [string, string, string | null, string | null][]): Map<string, RecordedPackage> {
  return new Map(
    rows.map(([name, version, upgradeVersion, upgradeType]) => [
      name,
      { name, version, upgradeVersion, upgradeType },
    ]),
  );
}

/** The fixture's host1 (spec §2.5). */
const host1 = () =>
  recorded(
    ['package1', '1.0.0-1', '1.0.0-2', ''],
    ['package2', '2.0.0-1', '2.0.1-1', 'security'],
    ['package3', '3.0.0-1', null, null],
    ['package3-dev', '3.0.0-1', null, null],
  );

function lists(partial: Partial<ReportPackageLists>): ReportPackageLists {
  return { installed: [], uninstalled: [], upgradable: [], ...partial };
}

const inst = (name: string, version: string) => ({ name, version, source: name });
const upg = (name: string, from: string, to: string, type?: string | null) => ({
  name,
  version_from: from,
  version_to: to,
  source: name,
  ...(type === undefined ? {} : { type }),
});

/** The state after applying a diff to the recorded rows, as sorted tuples. */
function resultOf(before: Map<string, RecordedPackage>, diff: ReturnType<typeof diffReport>) {
  const state = new Map(
    [...before].map(([name, row]) => [name, [name, row.version, row.upgradeVersion, row.upgradeType]]),
  );
  for (const name of diff.removals) state.delete(name);
  for (const row of diff.writes) {
    state.set(row.name, [
      row.name,
      row.version,
      row.upgrade?.version ?? null,
      row.upgrade ? row.upgradeType : null,
    ]);
  }
  return [...state.values()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

const full = { full: true, osChanged: false };
const partial = { full: false, osChanged: false };

describe('diffReport', () => {
  describe('full reports', () => {
    test('keep exactly the installed packages; upgrades not listed are cleared (34)', () => {
      const before = host1();
      const diff = diffReport(
        before,
        lists({ installed: [inst('package1', '1.0.0-1'), inst('package2', '2.0.0-1')] }),
        full,
      );
      expect(resultOf(before, diff)).toEqual([
        ['package1', '1.0.0-1', null, null],
        ['package2', '2.0.0-1', null, null],
      ]);
      expect(diff.removals.sort()).toEqual(['package3', 'package3-dev']);
      expect(diff.totals).toEqual({ packages: 2, upgrades: 0, security: 0 });
    });

    test('a changed installed version drops its upgrade; an unchanged candidate keeps its type (35)', () => {
      const before = host1();
      const diff = diffReport(
        before,
        lists({
          installed: [inst('package1', '1.0.0-1'), inst('package2', '2.0.0-2'), inst('new1', '1.0.0-1')],
          uninstalled: [{ name: 'unknown' }],
          upgradable: [upg('package1', '1.0.0-1', '1.0.0-2', ''), upg('new3', '1.0.0-1', '1.0.0-2', '')],
        }),
        full,
      );
      expect(resultOf(before, diff)).toEqual([
        ['new1', '1.0.0-1', null, null],
        ['new3', '1.0.0-1', '1.0.0-2', ''],
        ['package1', '1.0.0-1', '1.0.0-2', ''],
        ['package2', '2.0.0-2', null, null],
      ]);
      expect(
        diff.writes
          .filter((w) => w.isNew)
          .map((w) => w.name)
          .sort(),
      ).toEqual(['new1', 'new3']);
    });

    test('a nightly report that changes nothing writes nothing', () => {
      const before = host1();
      const diff = diffReport(
        before,
        lists({
          installed: [...before.values()].map((row) => inst(row.name, row.version)),
          upgradable: [upg('package1', '1.0.0-1', '1.0.0-2'), upg('package2', '2.0.0-1', '2.0.1-1')],
        }),
        full,
      );
      expect(diff.writes).toEqual([]);
      expect(diff.removals).toEqual([]);
      expect(diff.totals).toEqual({ packages: 4, upgrades: 2, security: 1 });
    });

    test('a recorded package named only in upgradable is kept (quirk a: documented choice)', () => {
      const before = host1();
      const diff = diffReport(before, lists({ upgradable: [upg('package3', '3.0.0-1', '3.0.0-2')] }), full);
      expect(resultOf(before, diff)).toEqual([['package3', '3.0.0-1', '3.0.0-2', null]]);
    });

    test('an OS change rewrites every surviving row and still cleans up (quirk b fixed)', () => {
      const before = host1();
      const diff = diffReport(before, lists({ installed: [inst('package3', '3.0.0-1')] }), {
        full: true,
        osChanged: true,
      });
      expect(diff.writes.map((w) => w.name)).toEqual(['package3']);
      expect(diff.removals.length).toBe(3);
    });
  });

  describe('partial reports', () => {
    test('upgradable-only: nothing deleted, stale upgrades kept, untracked packages added (36)', () => {
      const before = host1();
      const diff = diffReport(
        before,
        lists({
          upgradable: [upg('package1', '1.0.0-1', '1.0.0-2', ''), upg('new3', '1.0.0-1', '1.0.0-2', '')],
        }),
        partial,
      );
      expect(diff.removals).toEqual([]);
      expect(diff.writes.map((w) => w.name)).toEqual(['new3']);
      expect(diff.totals).toEqual({ packages: 5, upgrades: 3, security: 1 });
    });

    test('a candidate equal to the installed version clears the upgrade (38)', () => {
      const before = host1();
      const diff = diffReport(
        before,
        lists({ upgradable: [upg('package1', '1.0.0-0', '1.0.0-1')] }),
        partial,
      );
      expect(diff.writes).toEqual([
        {
          name: 'package1',
          version: '1.0.0-1',
          source: undefined,
          upgrade: null,
          upgradeType: null,
          isNew: false,
        },
      ]);
    });

    test('an untracked package is created from version_from (38)', () => {
      const diff = diffReport(new Map(), lists({ upgradable: [upg('new3', '1.0.0-0', '1.0.0-1')] }), partial);
      expect(diff.writes[0]).toMatchObject({
        name: 'new3',
        version: '1.0.0-0',
        upgrade: { version: '1.0.0-1' },
      });
    });

    test('an OS change rewrites every row, keeping versions and upgrade types (39)', () => {
      const before = host1();
      const diff = diffReport(before, lists({}), { full: false, osChanged: true });
      expect(diff.writes.length).toBe(4);
      expect(resultOf(before, diff)).toEqual(resultOf(before, diffReport(before, lists({}), partial)));
    });

    test('dpkg hook: new version without upgrade, removal, the rest untouched (41)', () => {
      const before = host1();
      const diff = diffReport(
        before,
        lists({ installed: [inst('package2', '2.0.0-3')], uninstalled: [{ name: 'package3' }] }),
        partial,
      );
      expect(diff.writes).toEqual([
        {
          name: 'package2',
          version: '2.0.0-3',
          source: 'package2',
          upgrade: null,
          upgradeType: null,
          isNew: false,
        },
      ]);
      expect(diff.removals).toEqual(['package3']);
    });

    test('a new package in installed and uninstalled ends absent, its version still resolved (32)', () => {
      const diff = diffReport(
        new Map(),
        lists({ installed: [inst('p1', '1'), inst('p3', '1')], uninstalled: [{ name: 'p3' }] }),
        full,
      );
      expect(diff.writes.map((w) => w.name)).toEqual(['p1']);
      expect(diff.catalogOnly).toEqual([inst('p3', '1')]);
    });
  });

  describe('duplicates and conflicts (SHOULD)', () => {
    test('the last duplicate in installed wins', () => {
      const diff = diffReport(
        host1(),
        lists({ installed: [inst('package3', '3.0.0-2'), inst('package3', '3.0.0-3')] }),
        partial,
      );
      expect(diff.writes.map((w) => w.version)).toEqual(['3.0.0-3']);
    });

    test('the last duplicate untracked upgradable item wins', () => {
      const diff = diffReport(
        new Map(),
        lists({ upgradable: [upg('n', '1', '2'), upg('n', '0', '3', 'security')] }),
        partial,
      );
      expect(diff.writes).toHaveLength(1);
      expect(diff.writes[0]).toMatchObject({
        version: '0',
        upgrade: { version: '3' },
        upgradeType: 'security',
      });
    });

    test('a package in uninstalled and upgradable stays removed', () => {
      const diff = diffReport(
        host1(),
        lists({ uninstalled: [{ name: 'package1' }], upgradable: [upg('package1', '1', '2')] }),
        partial,
      );
      expect(diff.removals).toEqual(['package1']);
      expect(diff.writes).toEqual([]);
    });
  });

  describe('upgrade types (security)', () => {
    test('a new candidate takes the item type, or none when missing', () => {
      const before = host1();
      const withType = diffReport(
        before,
        lists({ upgradable: [upg('package1', '1.0.0-1', '1.0.0-3', 'security')] }),
        partial,
      );
      expect(withType.writes[0]?.upgradeType).toBe('security');
      const without = diffReport(
        before,
        lists({ upgradable: [upg('package2', '2.0.0-1', '2.0.1-2')] }),
        partial,
      );
      expect(without.writes[0]?.upgradeType).toBeNull();
      expect(without.totals.security).toBe(0);
    });

    test('the same candidate keeps its type unless the item states one', () => {
      const before = host1();
      expect(
        diffReport(before, lists({ upgradable: [upg('package2', '2.0.0-1', '2.0.1-1')] }), partial).writes,
      ).toEqual([]);
      const relabelled = diffReport(
        before,
        lists({ upgradable: [upg('package1', '1.0.0-1', '1.0.0-2', 'security')] }),
        partial,
      );
      expect(relabelled.writes[0]?.upgradeType).toBe('security');
      expect(relabelled.totals.security).toBe(2);
    });
  });
});

/**
 * The oracle: docs/protocol.md's "What a report does", package by package, sharing neither code nor
 * structure with diffReport (no copy-on-write, no sets of touched or deleted names). Each package
 * name the recorded rows or the report mention is settled on its own: start from its recorded row,
 * apply its `installed` items, then its `upgradable` items, one rule each, in the order they come;
 * drop it if `uninstalled` names it, or if a full report names it nowhere; clear an upgrade that a
 * full report does not list. The diff is then read off by comparing the end state with the recorded
 * rows, and the totals by counting the end state.
 */
interface ModelRow {
  version: string;
  source: string | undefined;
  upgrade: { version: string; source: string | undefined } | null;
  upgradeType: string | null;
  /** Made from an `upgradable` item of this report: a later item for the package replaces it. */
  madeByUpgradable: boolean;
}

function modelDiff(
  recordedRows: ReadonlyMap<string, RecordedPackage>,
  reportLists: ReportPackageLists,
  options: ReportDiffOptions,
): ReportDiff {
  const uninstalled = new Set(reportLists.uninstalled.map((item) => item.name));
  const names = new Set([
    ...recordedRows.keys(),
    ...reportLists.installed.map((item) => item.name),
    ...reportLists.upgradable.map((item) => item.name),
  ]);

  const end = new Map<string, ModelRow>();
  for (const name of names) {
    if (uninstalled.has(name)) continue;
    const recordedRow = recordedRows.get(name);
    let row: ModelRow | undefined = recordedRow && {
      version: recordedRow.version,
      source: recordedRow.source,
      upgrade:
        recordedRow.upgradeVersion === null
          ? null
          : { version: recordedRow.upgradeVersion, source: recordedRow.upgradeSource },
      upgradeType: recordedRow.upgradeType,
      madeByUpgradable: false,
    };
    const installedItems = reportLists.installed.filter((item) => item.name === name);
    const upgradableItems = reportLists.upgradable.filter((item) => item.name === name);
    // An installed item with the row's version leaves it be; another version replaces the row, and
    // the package has no upgrade until an upgradable item gives it one.
    for (const item of installedItems) {
      if (row?.version === item.version) continue;
      row = {
        version: item.version,
        source: item.source,
        upgrade: null,
        upgradeType: null,
        madeByUpgradable: false,
      };
    }
    for (const item of upgradableItems) {
      const pending = item.version_to !== item.version_from;
      if (row === undefined || row.madeByUpgradable) {
        // Not recorded (nor installed by this report): installed at version_from, upgradable to
        // version_to unless the two are the same.
        row = {
          version: item.version_from,
          source: item.source,
          upgrade: pending ? { version: item.version_to, source: item.source } : null,
          upgradeType: pending ? (item.type ?? null) : null,
          madeByUpgradable: true,
        };
      } else if (row.upgrade !== null && row.upgrade.version === item.version_to) {
        // The same candidate: kept; a stated type relabels it.
        if (item.type !== undefined) row = { ...row, upgradeType: item.type };
      } else if (item.version_to === row.version) {
        // The candidate is what is installed: no upgrade.
        row = { ...row, upgrade: null, upgradeType: null };
      } else {
        row = {
          ...row,
          upgrade: { version: item.version_to, source: item.source },
          upgradeType: item.type ?? null,
        };
      }
    }
    if (row === undefined) continue;
    if (options.full) {
      if (installedItems.length === 0 && upgradableItems.length === 0) continue;
      if (upgradableItems.length === 0) row = { ...row, upgrade: null, upgradeType: null };
    }
    end.set(name, row);
  }

  const writes: ReportDiff['writes'] = [];
  for (const [name, row] of end) {
    const recordedRow = recordedRows.get(name);
    const unchanged =
      recordedRow !== undefined &&
      recordedRow.version === row.version &&
      recordedRow.upgradeVersion === (row.upgrade?.version ?? null) &&
      (recordedRow.upgradeType ?? null) === (row.upgradeType ?? null);
    if (unchanged && !options.osChanged) continue;
    writes.push({
      name,
      version: row.version,
      source: row.source,
      upgrade: row.upgrade,
      upgradeType: row.upgradeType,
      isNew: recordedRow === undefined,
    });
  }
  const withUpgrade = [...end.values()].filter((row) => row.upgrade !== null);
  return {
    writes,
    removals: [...recordedRows.keys()].filter((name) => !end.has(name)),
    // What an installed item names before uninstalled takes the package away, unless recorded as is.
    catalogOnly: reportLists.installed.filter(
      (item) => uninstalled.has(item.name) && recordedRows.get(item.name)?.version !== item.version,
    ),
    totals: {
      packages: end.size,
      upgrades: withUpgrade.length,
      security: withUpgrade.filter((row) => row.upgradeType === 'security').length,
    },
  };
}

function createRandom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return (n: number) => Math.floor(next() * n);
}

describe('diffReport against the package-by-package model', () => {
  const random = createRandom(3);
  const pick = <T>(choices: readonly T[]): T => choices[random(choices.length)] as T;
  const pkg = () => `p${random(12)}`;
  const version = () => `${random(3)}`;
  const types = ['security', '', null, undefined];
  // Source hints differ, so that a write made from the wrong item or row shows.
  const sources = ['s', 't', undefined];
  const randomRecorded = () =>
    new Map(
      Array.from({ length: random(10) }, () => pkg()).map((name): [string, RecordedPackage] => {
        const upgrade = random(2) ? `u${random(2)}` : null;
        return [
          name,
          {
            name,
            version: version(),
            upgradeVersion: upgrade,
            upgradeType: upgrade ? (types[random(3)] as string | null) : null,
            source: pick(sources),
            ...(upgrade && random(2) ? { upgradeSource: pick(['s', 't']) } : {}),
          },
        ];
      }),
    );
  const randomLists = (): ReportPackageLists => ({
    installed: Array.from({ length: random(10) }, () => ({
      name: pkg(),
      version: version(),
      ...(random(4) ? { source: pick(['s', 't']) } : {}),
    })),
    uninstalled: Array.from({ length: random(3) }, () => ({ name: pkg() })),
    upgradable: Array.from({ length: random(5) }, () => {
      const type = types[random(4)];
      return {
        name: pkg(),
        version_from: version(),
        version_to: random(4) ? `u${random(2)}` : version(),
        source: pick(['s', 't']),
        ...(type === undefined ? {} : { type }),
      };
    }),
  });
  /** Writes and removals in name order: their order carries no meaning. */
  const sorted = (diff: ReportDiff) => ({
    ...diff,
    writes: [...diff.writes].sort((a, b) => (a.name < b.name ? -1 : 1)),
    removals: [...diff.removals].sort(),
  });

  test('gives the same writes, removals, catalog-only items and totals on random reports', () => {
    for (let round = 0; round < 3000; round++) {
      const before = randomRecorded();
      const reportLists = randomLists();
      const options = { full: random(2) === 1, osChanged: random(4) === 0 };
      const expected = modelDiff(before, reportLists, options);
      const actual = diffReport(before, reportLists, options);
      expect({ round, ...sorted(actual) }).toEqual({ round, ...sorted(expected) });
    }
  });

  test('on the rows a partial report names, moves the totals as the full diff does', () => {
    for (let round = 0; round < 3000; round++) {
      const before = randomRecorded();
      const reportLists = randomLists();
      const options = { full: false, osChanged: false };
      const named = new Set(
        [...reportLists.installed, ...reportLists.uninstalled, ...reportLists.upgradable].map(
          (item) => item.name,
        ),
      );
      const subset = new Map([...before].filter(([name]) => named.has(name)));
      const whole = diffReport(before, reportLists, options);
      const partial = diffReport(subset, reportLists, options);
      const all = countTotals(before.values());
      const part = countTotals(subset.values());
      expect(partial.writes).toEqual(whole.writes);
      expect(partial.removals).toEqual(whole.removals);
      expect({
        packages: all.packages + partial.totals.packages - part.packages,
        upgrades: all.upgrades + partial.totals.upgrades - part.upgrades,
        security: all.security + partial.totals.security - part.security,
      }).toEqual(whole.totals);
    }
  });
});
