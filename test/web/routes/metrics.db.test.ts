/** /metrics (docs/reboot.md, "Metrics"): the access guard, promtool's check, and the values against the pages; both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const TOKEN = 'metrics-token-0123456789';
const IMAGES = [
  { name: 'linux-image-6.1.0-26-amd64', version: '6.1.112-1', source: 'linux-signed-amd64' },
  { name: 'linux-image-6.1.0-28-amd64', version: '6.1.119-1', source: 'linux-signed-amd64' },
];

function hostReport(hostname: string, release: string, banner: string, security: number) {
  return {
    hostname,
    os: 'Debian 12',
    running_kernel: { release, version: banner },
    update_type: 'full',
    installed: [...IMAGES, { name: 'openssl', version: '3.0.1-1', source: 'openssl' }],
    upgradable: security
      ? [
          {
            name: 'openssl',
            version_from: '3.0.1-1',
            version_to: '3.0.2-1',
            source: 'openssl',
            type: 'security',
          },
        ]
      : [],
    reboot: {
      boot_time: 1_777_000_000,
      kernel_images: IMAGES.map(({ name, version }) => ({ name, version })),
    },
  };
}

/** Parses samples into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

const scrape = (t: TestApp, token = TOKEN) =>
  t.request('/metrics', { headers: token ? { Authorization: `Bearer ${token}` } : {} });

for (const kind of DIALECTS) {
  describe(`/metrics on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { METRICS_TOKEN: TOKEN } });
      for (const [name, release, banner, security] of [
        ['old.example.org', '6.1.0-26-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)', 1],
        ['new.example.org', '6.1.0-28-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)', 0],
      ] as const) {
        const body = JSON.stringify(hostReport(name, release, banner, security));
        expect((await t.request(`/hosts/${name}/update`, { method: 'POST', body })).status).toBe(201);
      }
      const refused = await t.request('/hosts/old.example.org/update', {
        method: 'POST',
        body: '{"hostname": 1}',
      });
      expect(refused.status).toBe(400);
    });
    afterAll(async () => t?.drop());

    describe('the guard', () => {
      test('no token, a wrong token or another scheme: 401', async () => {
        for (const token of ['', 'wrong-token-0123456789']) expect((await scrape(t, token)).status).toBe(401);
        const basic = await t.request('/metrics', {
          headers: { Authorization: `Basic ${btoa(`x:${TOKEN}`)}` },
        });
        expect(basic.status).toBe(401);
      });
      test('off without METRICS_TOKEN: 404, whatever is sent', async () => {
        const off = await createTestApp({ kind: 'sqlite' });
        try {
          expect((await scrape(off)).status).toBe(404);
        } finally {
          await off.drop();
        }
      });
      test('with an address list, only those addresses', async () => {
        const listed = await createTestApp({
          kind: 'sqlite',
          config: { METRICS_TOKEN: TOKEN, METRICS_ALLOWED_ADDRESSES: ['192.0.2.7'] },
        });
        try {
          const from = (remoteAddress: string) =>
            listed.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } }, { remoteAddress });
          expect((await from('127.0.0.1')).status).toBe(403);
          expect((await from('192.0.2.7')).status).toBe(200);
        } finally {
          await listed.drop();
        }
      });
    });

    test('promtool check metrics accepts the text', async () => {
      const response = await scrape(t);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toStartWith('text/plain; version=0.0.4');
      const text = await response.text();
      const check = Bun.spawnSync(['promtool', 'check', 'metrics'], {
        stdin: new TextEncoder().encode(text),
      });
      const output = `${check.stdout}${check.stderr}`;
      expect({ exitCode: check.exitCode, output }).toEqual({ exitCode: 0, output: '' });
    });

    test("the database's connections: open, at work, the most it may open", async () => {
      const idle = samples(await (await scrape(t)).text());
      expect(idle.get('debmonitor_database_connections{state="in_use"}')).toBe(0);
      expect(idle.get('debmonitor_database_connections_max')).toBe(kind === 'sqlite' ? 2 : 10);
      expect(idle.get('debmonitor_database_connections{state="open"}')).toBeGreaterThanOrEqual(1);
      if (kind === 'sqlite') expect(idle.get('debmonitor_database_writers_waiting')).toBe(0);
      else expect(idle.get('debmonitor_database_connection_waits_total')).toBeGreaterThanOrEqual(0);
      // A transaction held open is a connection at work.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = () => {};
      const inside = new Promise<void>((resolve) => {
        started = resolve;
      });
      const open = t.database.transaction(async () => {
        started();
        await held;
      });
      await inside;
      try {
        const busy = samples(await (await scrape(t)).text());
        expect(busy.get('debmonitor_database_connections{state="in_use"}')).toBe(1);
      } finally {
        release();
        await open;
      }
    });

    test('the values agree with the pages', async () => {
      const values = samples(await (await scrape(t)).text());
      expect(values.get('debmonitor_host_reboot_required{host="old.example.org"}')).toBe(1);
      expect(values.get('debmonitor_host_reboot_required{host="new.example.org"}')).toBe(0);
      expect(values.get('debmonitor_host_kernel_state{host="old.example.org",state="version_upgrade"}')).toBe(
        1,
      );
      expect(values.get('debmonitor_host_kernel_state{host="new.example.org",state="current"}')).toBe(1);
      expect(values.get('debmonitor_host_upgrades_pending{host="old.example.org",class="security"}')).toBe(1);
      expect(values.get('debmonitor_host_boot_timestamp_seconds{host="old.example.org"}')).toBe(
        1_777_000_000,
      );
      expect(
        values.get('debmonitor_reports_received_total{owner="host",update_type="full",result="ok"}'),
      ).toBe(2);
      expect(
        values.get('debmonitor_reports_received_total{owner="host",update_type="other",result="rejected"}'),
      ).toBe(1);
      expect(values.get('debmonitor_report_processing_seconds_count{owner="host",update_type="full"}')).toBe(
        2,
      );

      const dashboard = await (await t.request('/')).text();
      const card = dashboard.slice(dashboard.indexOf('id="card-fleet-health"'));
      const figure = (filter: string) =>
        Number(new RegExp(`href="/hosts/\\?filter=${filter}"><span[^>]*>(\\d+)<`).exec(card)?.[1]);
      expect(values.get('debmonitor_hosts_reboot_required')).toBe(figure('reboot'));
      for (const state of ['reporting', 'stale', 'silent'])
        expect(values.get(`debmonitor_hosts{state="${state}"}`)).toBe(figure(state));
      const host = await (await t.request('/hosts/old.example.org')).text();
      expect(host).toContain('data-state="version_upgrade"');
      expect(host).toContain('data-required="true"');
      // Nothing per package: no sample names a package.
      expect([...values.keys()].some((key) => key.includes('openssl'))).toBe(false);
    });
  });
}
