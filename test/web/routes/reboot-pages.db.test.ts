/** Reboot and liveness on the pages (docs/reboot.md): dashboard card, hosts list filters, host page; both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const IMAGES = [
  { name: 'linux-image-6.1.0-26-amd64', version: '6.1.112-1', source: 'linux-signed-amd64' },
  { name: 'linux-image-6.1.0-28-amd64', version: '6.1.119-1', source: 'linux-signed-amd64' },
];

function hostReport(hostname: string, release: string, banner: string) {
  return {
    hostname,
    os: 'Debian 12',
    running_kernel: { release, version: banner },
    update_type: 'full',
    installed: IMAGES,
    reboot: {
      boot_time: 1_777_000_000,
      kernel_images: IMAGES.map(({ name, version }) => ({ name, version })),
      needrestart: { kernel_status: 3, services: ['ssh.service'] },
    },
  };
}

for (const kind of DIALECTS) {
  describe(`reboot pages on ${kind}`, () => {
    let t: TestApp;
    const dir = mkdtempSync(join(tmpdir(), 'expected-hosts-'));
    const file = join(dir, 'expected');
    beforeAll(async () => {
      writeFileSync(file, '# the fleet\nold.example.org\nnew.example.org\nmissing.example.org\n');
      t = await createTestApp({ kind, config: { EXPECTED_HOSTS_FILE: file } });
      for (const [name, release, banner] of [
        ['old.example.org', '6.1.0-26-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)'],
        ['new.example.org', '6.1.0-28-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)'],
      ] as const) {
        const response = await t.request(`/hosts/${name}/update`, {
          method: 'POST',
          body: JSON.stringify(hostReport(name, release, banner)),
        });
        expect(response.status).toBe(201);
      }
    });
    afterAll(async () => {
      await t?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the dashboard counts hosts that must reboot and each liveness state', async () => {
      const html = await (await t.request('/')).text();
      const card = html.slice(
        html.indexOf('id="card-fleet-health"'),
        html.indexOf('</section>', html.indexOf('card-fleet-health')),
      );
      const figure = (filter: string) =>
        new RegExp(`href="/hosts/\\?filter=${filter}"><span[^>]*>(\\d+)<`).exec(card)?.[1];
      expect([
        figure('reboot'),
        figure('reporting'),
        figure('stale'),
        figure('silent'),
        figure('never_reported'),
      ]).toEqual(['2', '2', '0', '0', '1']);
    });

    test('the reboot filter and column', async () => {
      const html = await (await t.request('/hosts/?filter=reboot')).text();
      expect(html).toContain('old.example.org');
      expect(html).toContain('title="reboot required"');
      expect(html).toContain('<option value="reboot" selected');
    });

    test('the hosts export carries the last full report, liveness, reboot and kernel state', async () => {
      const rows = (await (await t.request('/export/hosts.json?filter=reboot&sort=name')).json()) as Record<
        string,
        unknown
      >[];
      expect(
        rows.map(({ host, liveness, reboot_required, kernel_state }) => ({
          host,
          liveness,
          reboot_required,
          kernel_state,
        })),
      ).toEqual([
        { host: 'new.example.org', liveness: 'reporting', reboot_required: 'yes', kernel_state: 'current' },
        {
          host: 'old.example.org',
          liveness: 'reporting',
          reboot_required: 'yes',
          kernel_state: 'version_upgrade',
        },
      ]);
      for (const row of rows) expect(row.last_full_report).toBe(row.last_update as string);
      const csv = await (await t.request('/export/hosts.csv?filter=reboot&sort=name')).text();
      expect(csv.split('\r\n')[0]).toBe(
        'host,os,packages,upgrades,security,last_update,last_full_report,liveness,reboot_required,kernel_state,' +
          'security_pending_since,last_patched,cve_fixable,cve_urgent',
      );
    });

    test('the never-reported filter lists expected hosts without a row', async () => {
      const html = await (await t.request('/hosts/?filter=never_reported')).text();
      expect(html).toContain('missing.example.org');
      expect(html).not.toContain('/hosts/old.example.org');
      expect(html).toContain('<option value="never_reported" selected');
    });

    test('the host page shows the kernel state with its reason, and the services', async () => {
      const html = await (await t.request('/hosts/old.example.org')).text();
      expect(html).toContain('data-state="version_upgrade"');
      expect(html).toContain('running 6.1.0-26-amd64 (6.1.112-1), installed 6.1.0-28-amd64 (6.1.119-1)');
      expect(html).toMatch(/id="restart-services">1: <span class="mono">ssh.service/);
      const current = await (await t.request('/hosts/new.example.org')).text();
      expect(current).toContain('data-state="current"');
      // needrestart still says 3 here: its own check is a reason of its own.
      expect(current).toContain('needrestart: kernel version upgrade');
    });
  });
}
