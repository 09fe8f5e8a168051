/** The resulting state of spec §3.4.1, rule by rule, on version strings. */
import { describe, expect, test } from 'bun:test';
import { diffReport, type RecordedPackage, type ReportPackageLists } from '../../src/domain/report-diff.ts';

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
