/**
 * The history pages (docs/history.md) on both dialects: a host's timeline (paged, filtered by package
 * and kind), the fleet's "what changed" by source package (range, host pattern, kind), the host page's
 * "exposed for" and "last patched", the package and source-package history sections, the exports,
 * and the tombstone an API deletion leaves.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { HostReport } from '../../../src/protocol/report.ts';
import { applyHostReport } from '../../../src/store/ingest/host-reports.ts';
import { applyImageReport } from '../../../src/store/ingest/image-reports.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { ownerIdOf, readEvents } from '../../helpers/history.ts';
import { selectAll, selectTexts } from '../../helpers/html.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function report(
  hostname: string,
  ssl: string,
  extra: { name: string; version: string }[] = [],
  security = false,
): HostReport {
  return {
    hostname,
    os: 'Debian 12',
    running_kernel: { release: 'r', version: 'k1' },
    update_type: 'full',
    installed: [
      { name: 'libssl3', version: ssl, source: 'openssl' },
      { name: 'openssl', version: ssl, source: 'openssl' },
      ...extra.map((item) => ({ ...item, source: item.name })),
    ],
    uninstalled: [],
    upgradable: security
      ? [{ name: 'libssl3', version_from: ssl, version_to: '3.0.99', source: 'openssl', type: 'security' }]
      : [],
  };
}

for (const kind of DIALECTS) {
  describe(`history pages on ${kind}`, () => {
    let t: TestApp;
    const now = Date.now();
    beforeAll(async () => {
      t = await createTestApp({ kind });
      // Ten days ago every host had openssl 3.0.1; two hours ago web1 and web2 went to 3.0.2 and web1
      // gained curl; db1 stayed and has had a security upgrade pending for ten days.
      for (const host of ['web1.example.org', 'web2.example.org', 'db1.example.org'])
        await applyHostReport(t.store, report(host, '3.0.1', [], host.startsWith('db')), {
          now: new Date(now - 10 * DAY),
        });
      await applyHostReport(
        t.store,
        report('web1.example.org', '3.0.2', [{ name: 'curl', version: '8.0' }]),
        {
          now: new Date(now - 2 * HOUR),
        },
      );
      await applyHostReport(t.store, report('web2.example.org', '3.0.2'), { now: new Date(now - 2 * HOUR) });
      await applyHostReport(t.store, report('db1.example.org', '3.0.1', [], true), {
        now: new Date(now - HOUR),
      });
    });
    afterAll(async () => t?.drop());

    const html = async (path: string) => {
      const response = await t.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      return response.text();
    };

    test('a host timeline: newest first, then filtered by kind and by package', async () => {
      const page = await html('/history/host/web1.example.org');
      const rows = await selectAll(page, '#list tbody tr');
      expect(rows.map((row) => row.attrs['data-kind'])).toEqual([
        'installed',
        'upgraded',
        'upgraded',
        'baseline',
      ]);
      expect(page).toContain('3.0.1</span> → <span class="mono">3.0.2');
      const upgraded = await html('/history/host/web1.example.org?filter=upgraded&q=LIBSSL');
      expect((await selectAll(upgraded, '#list tbody tr')).map((row) => row.attrs['data-kind'])).toEqual([
        'upgraded',
      ]);
      expect(await selectTexts(upgraded, '#list tbody td.name')).toEqual(['libssl3']);
      expect((await t.request('/history/host/nosuch.example.org')).status).toBe(404);
    });

    test('what changed: grouped by source package, by range, host pattern and kind', async () => {
      const day = await html('/changes/');
      const groups = await selectAll(day, '#list tbody tr');
      expect(groups.map((row) => row.attrs['data-kind'])).toEqual(['upgraded', 'installed']);
      const cells = await selectTexts(day, '#list tbody td');
      expect(cells.slice(0, 5)).toEqual(['openssl', 'upgraded', '3.0.1 → 3.0.2', '2', '4']);
      expect(cells.slice(5)).toEqual(['curl', 'installed', '8.0', '1', '1']);
      // Ten days back the baselines are not changes: still the same groups.
      expect(
        await selectTexts(await html('/changes/?range=30d&filter=upgraded'), '#list tbody td.num'),
      ).toEqual(['2', '4']);
      expect(await selectTexts(await html('/changes/?hosts=web2*'), '#list tbody td.num')).toEqual([
        '1',
        '2',
      ]);
      expect(await selectTexts(await html('/changes/?hosts=db*'), '#list tbody td')).toEqual([
        'No package changed in this range on these hosts and packages.',
      ]);
      const from = new Date(now - 20 * DAY).toISOString().slice(0, 10);
      const to = new Date(now - 5 * DAY).toISOString().slice(0, 10);
      expect(
        await selectAll(await html(`/changes/?range=custom&from=${from}&to=${to}`), '#list tbody tr td.num'),
      ).toHaveLength(0);
    });

    test('the host page shows exposed for, last patched and the timeline link', async () => {
      const db1 = await html('/hosts/db1.example.org');
      expect((await selectTexts(db1, '#exposed-for'))[0]).toStartWith(
        '1 week, 3 days (oldest pending security upgrade first seen',
      );
      expect((await selectTexts(db1, '#last-patched'))[0]).toContain('no upgrade seen');
      const web1 = await html('/hosts/web1.example.org');
      expect((await selectTexts(web1, '#exposed-for'))[0]).toBe('no security upgrade pending');
      expect((await selectTexts(web1, '#last-patched'))[0]).toContain('2 hours ago');
      expect(web1).toContain('href="/history/host/web1.example.org"');
      expect(db1).toContain('pending since');
    });

    test('the hosts list filters on a security upgrade pending for more than 7 days', async () => {
      const page = await html('/hosts/?filter=exposed_7d');
      expect(await selectTexts(page, '#list tbody td.name')).toEqual(['db1.example.org']);
    });

    test('package and source-package pages have a history section', async () => {
      const pkg = await html('/packages/libssl3');
      const rows = await selectAll(pkg, '#history tbody tr');
      expect(rows.map((row) => row.attrs['data-kind'])).toEqual(['upgraded', 'upgraded']);
      const source = await html('/source-packages/openssl');
      expect(await selectAll(source, '#history tbody tr')).toHaveLength(4);
    });

    test('exports of the timeline and of what changed', async () => {
      const csv = await (
        await t.request('/export/host-history.csv?host=web2.example.org&filter=upgraded')
      ).text();
      expect(csv.trim().split(/\r?\n/)).toEqual([
        'time,change,package,from_version,to_version,report_type,detail',
        expect.stringMatching(/^[-\dT:.Z]+,upgraded,openssl,3\.0\.1,3\.0\.2,full,$/),
        expect.stringMatching(/^[-\dT:.Z]+,upgraded,libssl3,3\.0\.1,3\.0\.2,full,$/),
      ]);
      const json = await (await t.request('/export/changes.json?range=7d')).json();
      expect(json).toEqual([
        expect.objectContaining({
          source_package: 'openssl',
          change: 'upgraded',
          hosts: 2,
          packages_changed: 4,
        }),
        expect.objectContaining({ source_package: 'curl', change: 'installed', hosts: 1, to_version: '8.0' }),
      ]);
    });

    test('an image timeline, at a path that keeps the slashes of its name', async () => {
      await applyImageReport(t.store, {
        image_name: 'registry.example.org/app:1',
        os: 'Debian 12',
        update_type: 'full',
        installed: [{ name: 'curl', version: '8.0', source: 'curl' }],
        uninstalled: [],
        upgradable: [],
      });
      const page = await html('/history/image/registry.example.org/app:1');
      expect((await selectAll(page, '#list tbody tr')).map((row) => row.attrs['data-kind'])).toEqual([
        'baseline',
      ]);
      expect(await selectTexts(page, '#list tbody td.name')).toEqual(['1 package']);
    });

    test('an API deletion leaves a tombstone saying who deleted the host', async () => {
      const id = (await ownerIdOf(t.database, 'host', 'web2.example.org')) as number;
      expect((await t.request('/hosts/web2.example.org', { method: 'DELETE' })).status).toBe(204);
      const events = await readEvents(t.database, 'host', id);
      expect(events.at(-1)).toMatchObject({ kind: 'deleted', detail: 'web2.example.org deleted by API' });
      // Its changes stay in the fleet's history.
      expect(await selectTexts(await html('/changes/?filter=upgraded'), '#list tbody td.num')).toEqual([
        '2',
        '4',
      ]);
    });
  });
}
