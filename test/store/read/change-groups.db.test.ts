/**
 * "What changed" (docs/history.md) reads whole hours from the hourly rollup and the partial hours at
 * the ends of its range from the events: on both dialects, a range that cuts through hours gives the
 * same groups as the events alone (a host pattern that matches every host), to the millisecond.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { HostReport } from '../../../src/protocol/report.ts';
import { applyHostReport } from '../../../src/store/ingest/host-reports.ts';
import { type ChangesOptions, listChanges } from '../../../src/store/read/history.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-03-01T10:00:00Z');

function hostReport(name: string, openssl: string, curl?: string): HostReport {
  return {
    hostname: name,
    os: 'Debian 12',
    running_kernel: { release: 'r', version: 'k1' },
    update_type: 'full',
    installed: [
      { name: 'openssl', version: openssl, source: 'openssl' },
      { name: 'libssl3', version: openssl, source: 'openssl' },
      ...(curl ? [{ name: 'curl', version: curl, source: 'curl' }] : []),
    ],
    uninstalled: [],
    upgradable: [],
  };
}

for (const kind of DIALECTS) {
  describe(`what changed, from hours and events, on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      const at = (ms: number) => ({ now: new Date(T0 + ms) });
      for (const host of ['a.example.com', 'b.example.com', 'c.example.com'])
        await applyHostReport(t.store, hostReport(host, '3.0.1'), at(-2 * HOUR));
      // In the first (partial) hour of the ranges below, in whole hours, and in the last partial one.
      await applyHostReport(t.store, hostReport('a.example.com', '3.0.2'), at(10 * MINUTE));
      await applyHostReport(t.store, hostReport('b.example.com', '3.0.2', '8.0'), at(2 * HOUR + 5 * MINUTE));
      await applyHostReport(t.store, hostReport('c.example.com', '3.0.2'), at(2 * HOUR + 50 * MINUTE));
      await applyHostReport(t.store, hostReport('a.example.com', '3.0.2', '8.0'), at(5 * HOUR + 30 * MINUTE));
      await applyHostReport(t.store, hostReport('c.example.com', '3.0.1'), at(5 * HOUR + 40 * MINUTE));
    });
    afterAll(async () => t?.drop());

    const changes = async (from: number, to: number, extra: Partial<ChangesOptions> = {}) =>
      (
        await listChanges(t.database, {
          from: new Date(T0 + from),
          to: new Date(T0 + to),
          hosts: '',
          q: '',
          filter: 'all',
          offset: 0,
          limit: 100,
          ...extra,
        })
      ).rows.map((g) => ({ ...g, first: g.first.getTime() - T0, last: g.last.getTime() - T0 }));

    test('a range that cuts through hours: every change, each counted once', async () => {
      const groups = await changes(5 * MINUTE, 5 * HOUR + 45 * MINUTE);
      expect(groups).toEqual([
        {
          source: 'openssl',
          kind: 'upgraded',
          fromVersion: '3.0.1',
          toVersion: '3.0.2',
          hosts: 3,
          changes: 6,
          first: 10 * MINUTE,
          last: 2 * HOUR + 50 * MINUTE,
        },
        {
          source: 'curl',
          kind: 'installed',
          fromVersion: null,
          toVersion: '8.0',
          hosts: 2,
          changes: 2,
          first: 2 * HOUR + 5 * MINUTE,
          last: 5 * HOUR + 30 * MINUTE,
        },
        {
          source: 'openssl',
          kind: 'downgraded',
          fromVersion: '3.0.2',
          toVersion: '3.0.1',
          hosts: 1,
          changes: 2,
          first: 5 * HOUR + 40 * MINUTE,
          last: 5 * HOUR + 40 * MINUTE,
        },
      ]);
      expect(await changes(5 * MINUTE, 5 * HOUR + 45 * MINUTE, { hosts: '*' })).toEqual(groups);
    });

    test('the ends of the range are exact to the millisecond, in the events and in the hours', async () => {
      for (const [from, to] of [
        [10 * MINUTE + 1, 5 * HOUR + 40 * MINUTE],
        [10 * MINUTE, 5 * HOUR + 40 * MINUTE + 1],
        [HOUR, 3 * HOUR],
        [2 * HOUR + 6 * MINUTE, 2 * HOUR + 51 * MINUTE],
        [0, 6 * HOUR],
      ] as const)
        expect({ from, to, groups: await changes(from, to) }).toEqual({
          from,
          to,
          groups: await changes(from, to, { hosts: '*' }),
        });
    });

    test('a kind and a package filter apply to the hours too', async () => {
      const range = [5 * MINUTE, 5 * HOUR + 45 * MINUTE] as const;
      expect((await changes(...range, { filter: 'installed' })).map((g) => g.source)).toEqual(['curl']);
      expect((await changes(...range, { q: 'LIBSSL' })).map((g) => [g.kind, g.changes])).toEqual([
        ['upgraded', 3],
        ['downgraded', 1],
      ]);
    });
  });
}
