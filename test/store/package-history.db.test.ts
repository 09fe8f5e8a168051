/**
 * The history of hosts and images (docs/history.md), checked against a model on both databases: after
 * random mixes of reports of every type, OS changes, deletions and GC, each report's events are exactly
 * what changed between the rows before and after it, the events replayed from the first report's rows
 * give the current rows, "pending since" is the time of the first report that showed the candidate
 * (kept while it stays), and the owner row's "last patched" and "exposed since" follow. Concurrent
 * reports for one host leave each report's events together, in the order they were applied. The
 * hourly rollup of the hosts' changes always equals the events grouped by hour, kind and versions.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { listMigrations } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { compareDebianVersions } from '../../src/domain/debian-version.ts';
import type { HostReport } from '../../src/protocol/report.ts';
import { collectGarbage } from '../../src/store/gc.ts';
import { applyHostReport, deleteHost } from '../../src/store/ingest/host-reports.ts';
import { applyImageReport, deleteImage } from '../../src/store/ingest/image-reports.ts';
import { listPackageChanges, listSourcePackageChanges } from '../../src/store/read/history.ts';
import { findPackage } from '../../src/store/read/packages.ts';
import { findSourcePackage } from '../../src/store/read/source-packages.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import {
  type EventRow,
  groupEventsByHour,
  ownerIdOf,
  readAllEvents,
  readChangeHours,
  readEvents,
  readInstalled,
  readOwnerHistory,
  readPending,
} from '../helpers/history.ts';
import { createRandom, imageReportOf, type Random, randomReport } from '../helpers/random-reports.ts';

type Kind = 'host' | 'image';
type Change = { kind: string; name: string; from: string | null; to: string | null };

/** What the model knows of one owner. */
interface Modelled {
  id: number;
  /** The rows right after its first report (the baseline). */
  baseline: Map<string, string>;
  /** The rows after the last report. */
  rows: Map<string, string>;
  /** Pending candidates and when a report first showed each. */
  pending: Map<string, { upgrade: string; since: number }>;
  lastUpgraded: number | null;
}

const START = Date.parse('2026-01-01T00:00:00Z');

/** What changed from `before` to `after`, as the events should say, sorted. */
function changesBetween(before: Map<string, string>, after: Map<string, string>): Change[] {
  const changes: Change[] = [];
  for (const [name, version] of after) {
    const old = before.get(name);
    if (old === undefined) changes.push({ kind: 'installed', name, from: null, to: version });
    else if (old !== version)
      changes.push({
        kind: compareDebianVersions(version, old) < 0 ? 'downgraded' : 'upgraded',
        name,
        from: old,
        to: version,
      });
  }
  for (const [name, version] of before)
    if (!after.has(name)) changes.push({ kind: 'removed', name, from: version, to: null });
  return sortChanges(changes);
}

function sortChanges(changes: Change[]): Change[] {
  return changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function changesOf(events: EventRow[]): Change[] {
  return sortChanges(
    events.map((event) => ({ kind: event.kind, name: event.name ?? '', from: event.from, to: event.to })),
  );
}

/** Replays package events onto rows. */
function replay(start: Map<string, string>, events: EventRow[]): Map<string, string> {
  const rows = new Map(start);
  for (const event of events) {
    if (event.kind === 'removed') rows.delete(event.name ?? '');
    else if (event.to !== null) rows.set(event.name ?? '', event.to);
  }
  return rows;
}

function report(random: Random, name: string): HostReport {
  const r = randomReport(random, name);
  r.os = random.chance(0.1) ? 'Debian 13' : 'Debian 12';
  return r;
}

async function apply(store: Store, kind: Kind, r: HostReport, now: Date) {
  if (kind === 'host') await applyHostReport(store, r, { now });
  else await applyImageReport(store, imageReportOf(r, r.hostname), { now });
}

for (const dialect of DIALECTS) {
  describe(`package history on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    /** Checks one owner after a report at `now` against the model, and moves the model on. */
    async function checkAfterReport(kind: Kind, name: string, model: Map<string, Modelled>, now: number) {
      const key = `${kind}:${name}`;
      const id = (await ownerIdOf(t.database, kind, name)) as number;
      const events = await readEvents(t.database, kind, id);
      const rows = await readInstalled(t.database, kind, id);
      const pending = await readPending(t.database, kind, id);
      let known = model.get(key);
      if (!known) {
        // The first report: one baseline event with the package count, nothing per package.
        expect(events.map((e) => [e.kind, e.detail, e.created])).toEqual([
          ['baseline', String(rows.size), now],
        ]);
        known = { id, baseline: rows, rows, pending: new Map(), lastUpgraded: null };
        model.set(key, known);
      } else {
        expect(id).toBe(known.id);
        const mine = events.filter((e) => e.created === now);
        expect({ key, changes: changesOf(mine) }).toEqual({ key, changes: changesBetween(known.rows, rows) });
        // Replayed from the first report's rows, the events give the rows.
        const [first, ...rest] = events;
        expect(first?.kind).toBe('baseline');
        expect(replay(known.baseline, rest)).toEqual(rows);
        if (mine.some((e) => e.kind === 'upgraded')) known.lastUpgraded = now;
        known.rows = rows;
      }
      // Pending since: the first report that showed the candidate, for as long as it stays.
      const nextPending = new Map<string, { upgrade: string; since: number }>();
      let oldestSecurity: number | null = null;
      for (const [pkg, row] of pending) {
        if (row.upgrade === null) {
          expect({ pkg, since: row.since }).toEqual({ pkg, since: null });
          continue;
        }
        const before = known.pending.get(pkg);
        const since = before && before.upgrade === row.upgrade ? before.since : now;
        expect({ key, pkg, since: row.since }).toEqual({ key, pkg, since });
        nextPending.set(pkg, { upgrade: row.upgrade, since });
        if (row.type === 'security' && (oldestSecurity === null || since < oldestSecurity))
          oldestSecurity = since;
      }
      known.pending = nextPending;
      expect({ key, history: await readOwnerHistory(t.database, kind, id) }).toEqual({
        key,
        history: { lastUpgraded: known.lastUpgraded, securitySince: oldestSecurity },
      });
    }

    test('random reports, OS changes, deletions and GC: events, replay, pending since, last patched', async () => {
      const random = createRandom(dialect === 'sqlite' ? 7 : 19);
      const names = ['a.example.com', 'b.example.com', 'c.example.com'];
      const model = new Map<string, Modelled>();
      const seen = new Map<string, number>();
      for (let step = 1; step <= 150; step++) {
        const now = START + step * 60_000;
        const name = names[random.int(names.length)] as string;
        const kind: Kind = random.chance(0.7) ? 'host' : 'image';
        const roll = random.int(25);
        let what: string;
        if (roll === 0) {
          const id = await ownerIdOf(t.database, kind, name);
          const deleted =
            kind === 'host'
              ? await deleteHost(t.store, name, { by: 'user tester', now: new Date(now) })
              : (await deleteImage(t.store, name, { by: 'user tester', now: new Date(now) })).status ===
                'deleted';
          expect(deleted).toBe(id !== undefined);
          if (id !== undefined) {
            const events = await readEvents(t.database, kind, id);
            expect(events.at(-1)).toMatchObject({
              kind: 'deleted',
              detail: `${name} deleted by user tester`,
            });
            expect(events[0]?.kind).toBe('baseline');
          }
          model.delete(`${kind}:${name}`);
          what = 'delete';
        } else if (roll === 1) {
          const old = `old-${step}.example.com`;
          await applyHostReport(
            t.store,
            { ...randomReport(random, old), update_type: 'full' },
            { now: new Date(START) },
          );
          const id = (await ownerIdOf(t.database, 'host', old)) as number;
          await collectGarbage(t.store, {
            hostMaxAgeDays: 1,
            imageMaxAgeDays: 0,
            now: new Date(now + 2 * 86_400_000),
          });
          // GC also deletes modelled hosts not reported for a day: start their models again.
          for (const key of [...model.keys()]) if (key.startsWith('host:')) model.delete(key);
          const events = await readEvents(t.database, 'host', id);
          expect(events.map((e) => [e.kind, e.detail])).toEqual([
            ['baseline', expect.any(String)],
            ['deleted', `${old} deleted by gc`],
          ]);
          what = 'gc';
        } else {
          const r = report(random, name);
          await apply(t.store, kind, r, new Date(now));
          await checkAfterReport(kind, name, model, now);
          what = `${kind} ${r.update_type}`;
        }
        seen.set(what, (seen.get(what) ?? 0) + 1);
        if (step % 10 === 0)
          expect(await readChangeHours(t.database)).toEqual(await groupEventsByHour(t.database));
      }
      const hours = await readChangeHours(t.database);
      expect(hours).toEqual(await groupEventsByHour(t.database));
      // Several hours, and rows that more than one report added to.
      expect(new Set(hours.map((row) => row.hour)).size).toBeGreaterThan(1);
      expect(hours.some((row) => row.changes > 1)).toBe(true);
      for (const what of [
        'host full',
        'host dpkg_hook',
        'host upgradable',
        'host partial',
        'image full',
        'delete',
        'gc',
      ])
        expect({ what, seen: (seen.get(what) ?? 0) > 0 }).toEqual({ what, seen: true });
      const kinds = new Set((await readAllEvents(t.database)).map((e) => e.kind));
      expect([...kinds].sort()).toEqual([
        'baseline',
        'deleted',
        'downgraded',
        'installed',
        'removed',
        'upgraded',
      ]);
    });

    test('replayed from an empty host, the events give exactly its rows', async () => {
      const random = createRandom(31);
      const name = 'empty-start.example.com';
      const empty: HostReport = {
        ...randomReport(random, name),
        update_type: 'full',
        installed: [],
        upgradable: [],
        uninstalled: [],
      };
      await applyHostReport(t.store, empty, { now: new Date(START) });
      for (let step = 1; step <= 30; step++)
        await applyHostReport(t.store, report(random, name), { now: new Date(START + step * 1000) });
      const id = (await ownerIdOf(t.database, 'host', name)) as number;
      const [baseline, ...events] = await readEvents(t.database, 'host', id);
      expect([baseline?.kind, baseline?.detail]).toEqual(['baseline', '0']);
      const rows = await readInstalled(t.database, 'host', id);
      expect(rows.size).toBeGreaterThan(0);
      expect(replay(new Map(), events)).toEqual(rows);
    });

    test('retention: gc prunes events older than the setting in batches, and then the versions only they named', async () => {
      const fresh = await createTestDatabase(dialect);
      try {
        const name = 'retained.example.com';
        const at = (days: number) => new Date(START + days * 86_400_000);
        const versions = (version: string): HostReport => ({
          ...randomReport(createRandom(1), name),
          update_type: 'full',
          installed: Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, version, source: `s${i}` })),
          upgradable: [],
          uninstalled: [],
        });
        await applyHostReport(fresh.store, versions('1.0'), { now: at(0) });
        await applyHostReport(fresh.store, versions('2.0'), { now: at(100) });
        await applyHostReport(fresh.store, versions('3.0'), { now: at(450) });
        const id = (await ownerIdOf(fresh.database, 'host', name)) as number;
        expect((await readEvents(fresh.database, 'host', id)).map((e) => e.kind)).toEqual([
          'baseline',
          ...Array(10).fill('upgraded'),
        ]);
        const lines = await collectGarbage(fresh.store, {
          hostMaxAgeDays: 0,
          imageMaxAgeDays: 0,
          historyRetentionDays: 400,
          historyBatchRows: 2,
          now: at(501),
        });
        // Day 0's baseline and day 100's five upgrades are older than 400 days; day 450's stay.
        expect(lines).toContain('Deleted 6 history events older than 400 days');
        // The rollup's hours go with them: it holds day 450's hour only, one row per package.
        const hours = await readChangeHours(fresh.database);
        expect(hours).toEqual(await groupEventsByHour(fresh.database));
        expect(hours.map((row) => [row.hour, row.kind, row.changes])).toEqual(
          Array.from({ length: 5 }, () => [at(450).getTime(), 'upgraded', 1]),
        );
        const left = await readEvents(fresh.database, 'host', id);
        expect(left.map((e) => [e.kind, e.from, e.to])).toEqual(
          Array.from({ length: 5 }, () => ['upgraded', '2.0', '3.0']),
        );
        // 1.0 was named only by pruned events: GC deleted it; 2.0 is still named by the kept ones.
        expect(lines).toContain(
          'Deleted 5 PackageVersion objects not referenced by any HostPackage or ImagePackage',
        );
        const again = await collectGarbage(fresh.store, {
          hostMaxAgeDays: 0,
          imageMaxAgeDays: 0,
          historyRetentionDays: 400,
          now: at(501),
        });
        expect(again).toContain('Deleted 0 history events older than 400 days');
        expect(await readEvents(fresh.database, 'host', id)).toEqual(left);
      } finally {
        await fresh.drop();
      }
    });

    test('"exposed since" after hook reports: kept while another row holds it, else the oldest left', async () => {
      const name = 'exposed.example.com';
      const at = (minutes: number) => START + minutes * 60_000;
      const item = (pkg: string, version: string) => ({ name: pkg, version, source: pkg });
      const upgrade = (pkg: string) => ({
        name: pkg,
        version_from: '1.0-1',
        version_to: '1.0-2',
        source: pkg,
        type: 'security',
      });
      const send = async (minutes: number, r: Partial<HostReport>) => {
        await applyHostReport(
          t.store,
          {
            hostname: name,
            os: 'Debian 12',
            running_kernel: { release: '6.1.0-26-amd64', version: '#1 SMP Debian 6.1.112-1 (2024-10-03)' },
            update_type: 'dpkg_hook',
            installed: [],
            upgradable: [],
            uninstalled: [],
            ...r,
          } as HostReport,
          { now: new Date(at(minutes)) },
        );
        const id = (await ownerIdOf(t.database, 'host', name)) as number;
        return (await readOwnerHistory(t.database, 'host', id)).securitySince;
      };
      const installed = ['a', 'b', 'c', 'd'].map((pkg) => item(pkg, '1.0-1'));
      expect(
        await send(1, { update_type: 'full', installed, upgradable: [upgrade('a'), upgrade('b')] }),
      ).toBe(at(1));
      expect(await send(2, { upgradable: [upgrade('c')] })).toBe(at(1));
      expect(await send(3, { upgradable: [upgrade('d')] })).toBe(at(1));
      // a, which held the oldest, is upgraded: b still holds it.
      expect(await send(4, { installed: [item('a', '1.0-2')] })).toBe(at(1));
      // b too: the oldest left is c's.
      expect(await send(5, { installed: [item('b', '1.0-2')] })).toBe(at(2));
      expect(await send(6, { installed: [item('c', '1.0-2')] })).toBe(at(3));
      expect(await send(7, { installed: [item('d', '1.0-2')] })).toBe(null);
    });

    test('package and source-package history: the newest changes of every host, newest first, up to the limit', async () => {
      // Two binaries of one source on three hosts, upgraded in turn: more events than the limit.
      const send = (host: string, minutes: number, version: string, type: 'full' | 'dpkg_hook') =>
        applyHostReport(
          t.store,
          {
            hostname: host,
            os: 'Debian 12',
            running_kernel: { release: '6.1.0-26-amd64', version: '#1 SMP Debian 6.1.112-1 (2024-10-03)' },
            update_type: type,
            installed: ['libsplit1', 'split-tools'].map((name) => ({ name, version, source: 'split' })),
            upgradable: [],
            uninstalled: [],
          } as HostReport,
          { now: new Date(START + minutes * 60_000) },
        );
      let minutes = 0;
      for (const host of ['h1.split.test', 'h2.split.test', 'h3.split.test'])
        await send(host, ++minutes, '1-1', 'full');
      for (const release of [2, 3, 4])
        for (const host of ['h2.split.test', 'h1.split.test', 'h3.split.test'])
          await send(host, ++minutes, `1-${release}`, 'dpkg_hook');
      const source = await findSourcePackage(t.database, 'split');
      const binary = await findPackage(t.database, 'libsplit1');
      const every = await listSourcePackageChanges(t.database, source?.id as number, 100);
      // Six baselines are not package changes; 18 upgrades are.
      expect(every.map((row) => row.kind)).toEqual(Array(18).fill('upgraded'));
      // The newest 7 of 18: both binaries of the last three hook reports, then one of the report before.
      const sourceRows = await listSourcePackageChanges(t.database, source?.id as number, 7);
      const minute = (row: { created: Date }) => (row.created.getTime() - START) / 60_000;
      expect(sourceRows.map((row) => [row.ownerName, row.toVersion, minute(row)])).toEqual([
        ['h3.split.test', '1-4', 12],
        ['h3.split.test', '1-4', 12],
        ['h1.split.test', '1-4', 11],
        ['h1.split.test', '1-4', 11],
        ['h2.split.test', '1-4', 10],
        ['h2.split.test', '1-4', 10],
        ['h3.split.test', '1-3', 9],
      ]);
      expect(sourceRows.map((row) => row.id)).toEqual(
        [...sourceRows.map((row) => row.id)].sort((a, b) => b - a),
      );
      const binaryRows = await listPackageChanges(t.database, binary?.id as number, 4);
      expect(
        binaryRows.map((row) => [row.packageName, row.ownerName, row.fromVersion, row.toVersion]),
      ).toEqual([
        ['libsplit1', 'h3.split.test', '1-3', '1-4'],
        ['libsplit1', 'h1.split.test', '1-3', '1-4'],
        ['libsplit1', 'h2.split.test', '1-3', '1-4'],
        ['libsplit1', 'h3.split.test', '1-2', '1-3'],
      ]);
    });

    test('concurrent full and hook reports for one host: each report’s events stay together, in the order applied', async () => {
      const random = createRandom(dialect === 'sqlite' ? 41 : 43);
      const name = 'race.example.com';
      await applyHostReport(
        t.store,
        { ...randomReport(random, name), update_type: 'full' },
        { now: new Date(START) },
      );
      const id = (await ownerIdOf(t.database, 'host', name)) as number;
      const baseline = await readInstalled(t.database, 'host', id);
      // On MariaDB half of the reports go through a second store, as another server instance.
      const other = dialect === 'mysql' ? createStore(await openDatabase(t.url)) : t.store;
      try {
        await Promise.all(
          Array.from({ length: 16 }, (_, i) => {
            const r = randomReport(random, name);
            r.update_type = i % 2 === 0 ? 'full' : 'dpkg_hook';
            return applyHostReport(i % 4 < 2 ? t.store : other, r, { now: new Date(START + (i + 1) * 1000) });
          }),
        );
      } finally {
        if (other !== t.store) await other.database.close();
      }
      const [first, ...events] = await readEvents(t.database, 'host', id);
      expect(first?.kind).toBe('baseline');
      expect(events.length).toBeGreaterThan(0);
      expect(replay(baseline, events)).toEqual(await readInstalled(t.database, 'host', id));
      // One report's events are one run of ids: a report's time never comes back after another's.
      const runs: number[] = [];
      for (const event of events) if (runs.at(-1) !== event.created) runs.push(event.created);
      expect(new Set(runs).size).toBe(runs.length);
      expect(await readChangeHours(t.database)).toEqual(await groupEventsByHour(t.database));
    });

    test("the hourly rollup's migration fills it from the events recorded before it", async () => {
      const before = await readChangeHours(t.database);
      expect(before.length).toBeGreaterThan(0);
      const migration = listMigrations(t.database).find((m) => m.tag.endsWith('_package_change_hours'));
      const [backfill, ...more] = (migration?.sql ?? '')
        .split('--> statement-breakpoint')
        .filter((statement) => statement.includes('INSERT INTO'));
      expect([typeof backfill, more.length]).toEqual(['string', 0]);
      await t.database.transaction(async (tx) => {
        await tx.sql.run('DELETE FROM package_change_hours');
        await tx.sql.run(backfill as string);
      });
      expect(await readChangeHours(t.database)).toEqual(before);
    });
  });
}
