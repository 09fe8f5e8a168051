/**
 * The hosts and images lists on the history facts (docs/history.md): filtered to security upgrades
 * pending for more than N days or hosts not patched lately, sorted by exposure and last patch, in
 * pages and in keyset exports alike, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { HostReport } from '../../../src/protocol/report.ts';
import { applyHostReport } from '../../../src/store/ingest/host-reports.ts';
import { listInventory, pageInventory } from '../../../src/store/read/inventory-list.ts';
import type { ListOptions } from '../../../src/store/read/list-options.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');

function hostReport(name: string, version: string, security: boolean): HostReport {
  return {
    hostname: name,
    os: 'Debian 12',
    running_kernel: { release: 'r', version: 'k1' },
    update_type: 'full',
    installed: [{ name: 'openssl', version, source: 'openssl' }],
    uninstalled: [],
    upgradable: security
      ? [
          {
            name: 'openssl',
            version_from: version,
            version_to: '3.0.17',
            source: 'openssl',
            type: 'security',
          },
        ]
      : [],
  };
}

function options(
  extra: Partial<ListOptions<string>>,
): ListOptions<'default' | 'exposed' | 'patched' | 'name'> {
  return { offset: 0, limit: 50, sort: 'name', descending: false, q: '', filter: 'all', ...extra } as never;
}

for (const kind of DIALECTS) {
  describe(`history facts in the hosts list on ${kind}`, () => {
    let t: TestDatabase;
    const cutoffs = { stale: new Date(0), silent: new Date(0), now: new Date(NOW) };
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      // old: security pending since 20 days; mid: since 3 days, patched 10 days ago; clean: none.
      await applyHostReport(t.store, hostReport('old.example.com', '3.0.1', true), {
        now: new Date(NOW - 20 * DAY),
      });
      await applyHostReport(t.store, hostReport('old.example.com', '3.0.1', true), {
        now: new Date(NOW - DAY),
      });
      await applyHostReport(t.store, hostReport('mid.example.com', '3.0.1', false), {
        now: new Date(NOW - 40 * DAY),
      });
      await applyHostReport(t.store, hostReport('mid.example.com', '3.0.2', false), {
        now: new Date(NOW - 10 * DAY),
      });
      await applyHostReport(t.store, hostReport('mid.example.com', '3.0.2', true), {
        now: new Date(NOW - 3 * DAY),
      });
      await applyHostReport(t.store, hostReport('clean.example.com', '3.0.17', false), {
        now: new Date(NOW - DAY),
      });
    });
    afterAll(async () => t?.drop());

    const names = async (extra: Partial<ListOptions<string>>) =>
      (await listInventory(t.database, 'hosts', options(extra), cutoffs)).rows.map((row) => row.name);

    test('rows carry since when their security upgrade is pending and their last patch', async () => {
      const rows = (await listInventory(t.database, 'hosts', options({}), cutoffs)).rows;
      const facts = Object.fromEntries(
        rows.map((row) => [
          row.name,
          [row.securitySince?.getTime() ?? null, row.lastUpgraded?.getTime() ?? null],
        ]),
      );
      expect(facts).toEqual({
        'clean.example.com': [null, null],
        'mid.example.com': [NOW - 3 * DAY, NOW - 10 * DAY],
        'old.example.com': [NOW - 20 * DAY, null],
      });
    });

    test('filters: security pending for more than 1, 7, 30 days; not patched in 30 days', async () => {
      expect(await names({ filter: 'exposed_1d' })).toEqual(['mid.example.com', 'old.example.com']);
      expect(await names({ filter: 'exposed_7d' })).toEqual(['old.example.com']);
      expect(await names({ filter: 'exposed_30d' })).toEqual([]);
      expect(await names({ filter: 'unpatched_30d' })).toEqual(['clean.example.com', 'old.example.com']);
    });

    test('sorts: longest exposed first (none last), most recently patched first (never last)', async () => {
      expect(await names({ sort: 'exposed' })).toEqual([
        'old.example.com',
        'mid.example.com',
        'clean.example.com',
      ]);
      expect(await names({ sort: 'exposed', descending: true })).toEqual([
        'clean.example.com',
        'mid.example.com',
        'old.example.com',
      ]);
      expect(await names({ sort: 'patched', descending: true })).toEqual([
        'mid.example.com',
        'clean.example.com',
        'old.example.com',
      ]);
    });

    test('a keyset export a row at a time reads the same order', async () => {
      for (const [sort, descending] of [
        ['exposed', false],
        ['patched', true],
      ] as const) {
        const exported: string[] = [];
        const { offset: _o, limit: _l, ...rest } = options({ sort, descending });
        for await (const page of pageInventory(t.database, 'hosts', rest, 1, cutoffs))
          exported.push(...page.map((row) => row.name));
        expect({ sort, exported }).toEqual({ sort, exported: await names({ sort, descending }) });
      }
    });
  });
}
