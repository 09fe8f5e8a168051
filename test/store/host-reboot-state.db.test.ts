/** The reboot state and liveness of hosts, written by reports and read by the lists (docs/reboot.md), on both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { DEFAULT_LIVENESS, livenessCutoffs } from '../../src/domain/liveness.ts';
import type { HostReport } from '../../src/protocol/report.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { findNeverReported, readFleetHealth } from '../../src/store/read/fleet-health.ts';
import { listInventory } from '../../src/store/read/inventory-list.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const T0 = new Date('2026-05-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3600 * 1000);

const BOOKWORM_26 = {
  release: '6.1.0-26-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)',
};
const BOOKWORM_28 = {
  release: '6.1.0-28-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)',
};
const IMAGE_26 = { name: 'linux-image-6.1.0-26-amd64', version: '6.1.112-1', source: 'linux-signed-amd64' };
const IMAGE_28 = { name: 'linux-image-6.1.0-28-amd64', version: '6.1.119-1', source: 'linux-signed-amd64' };

function report(hostname: string, overrides: Partial<HostReport> = {}): HostReport {
  return {
    hostname,
    os: 'Debian 12',
    running_kernel: BOOKWORM_26,
    update_type: 'full',
    installed: [IMAGE_26],
    uninstalled: [],
    upgradable: [],
    ...overrides,
  };
}

for (const kind of DIALECTS) {
  describe(`host reboot state on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(async () => t?.drop());

    const row = async (name: string) => {
      const h = t.database.tables.hosts;
      const [found] = await t.database.db.select().from(h).where(eq(h.name, name));
      return found!;
    };

    test('a new agent: kernel state, reason, reboot reasons, boot time, services, each with its since', async () => {
      const reboot = {
        boot_time: 1_777_000_000,
        kernel_images: [IMAGE_26, IMAGE_28].map(({ name, version }) => ({ name, version })),
        reboot_required: { packages: ['linux-image-6.1.0-28-amd64'] },
        needrestart: { kernel_status: 3, services: ['cron.service', 'ssh.service'] },
      };
      await applyHostReport(t.store, report('a.example.org', { installed: [IMAGE_26, IMAGE_28], reboot }), {
        now: at(0),
      });
      expect(await row('a.example.org')).toMatchObject({
        kernelState: 3,
        kernelStateReason: 'running 6.1.0-26-amd64 (6.1.112-1), installed 6.1.0-28-amd64 (6.1.119-1)',
        kernelStateSince: at(0),
        rebootRequired: 1,
        rebootReasons:
          'kernel version upgrade: running 6.1.0-26-amd64 (6.1.112-1), installed 6.1.0-28-amd64 (6.1.119-1); ' +
          '/run/reboot-required (linux-image-6.1.0-28-amd64); needrestart: kernel version upgrade',
        rebootRequiredSince: at(0),
        bootTime: new Date(1_777_000_000_000),
        restartServices: 'cron.service\nssh.service',
        restartServiceCount: 2,
        lastFullReport: at(0),
      });
      // A partial report an hour later: the state holds, and so does its "since".
      await applyHostReport(
        t.store,
        report('a.example.org', { update_type: 'upgradable', installed: [], reboot }),
        {
          now: at(1),
        },
      );
      expect(await row('a.example.org')).toMatchObject({
        kernelStateSince: at(0),
        rebootRequiredSince: at(0),
        lastFullReport: at(0),
        modified: at(1),
      });
      // After the reboot into the new kernel everything clears, from scratch.
      await applyHostReport(
        t.store,
        report('a.example.org', {
          running_kernel: BOOKWORM_28,
          installed: [IMAGE_26, IMAGE_28],
          reboot: { ...reboot, reboot_required: null, needrestart: { kernel_status: 1, services: [] } },
        }),
        { now: at(2) },
      );
      expect(await row('a.example.org')).toMatchObject({
        kernelState: 1,
        kernelStateSince: at(2),
        rebootRequired: 0,
        rebootReasons: null,
        rebootRequiredSince: null,
        restartServices: '',
        restartServiceCount: 0,
      });
    });

    test("a legacy client's full report is judged from its installed list; its partial reports change nothing", async () => {
      await applyHostReport(t.store, report('legacy.example.org', { installed: [IMAGE_26, IMAGE_28] }), {
        now: at(0),
      });
      expect(await row('legacy.example.org')).toMatchObject({
        kernelState: 3,
        rebootRequired: 1,
        bootTime: null,
      });
      await applyHostReport(
        t.store,
        report('legacy.example.org', {
          update_type: 'dpkg_hook',
          running_kernel: BOOKWORM_28,
          installed: [],
        }),
        { now: at(1) },
      );
      expect(await row('legacy.example.org')).toMatchObject({
        kernelState: 3,
        rebootRequired: 1,
        lastFullReport: at(0),
      });
    });

    test('liveness moves from reporting to stale to silent as the clock goes on', async () => {
      await applyHostReport(t.store, report('live.example.org'), { now: at(0) });
      await applyHostReport(
        t.store,
        report('live.example.org', { update_type: 'upgradable', installed: [] }),
        {
          now: at(40),
        },
      );
      const names = async (filter: 'reporting' | 'stale' | 'silent', hours: number) => {
        const cutoffs = livenessCutoffs(at(hours), DEFAULT_LIVENESS);
        const page = await listInventory(
          t.database,
          'hosts',
          { offset: 0, limit: 50, sort: 'name', descending: false, q: 'live', filter },
          cutoffs,
        );
        return page.rows.map((r) => r.name);
      };
      const health = (hours: number) =>
        readFleetHealth(t.database, livenessCutoffs(at(hours), DEFAULT_LIVENESS), null);
      expect(await names('reporting', 36)).toEqual(['live.example.org']);
      expect(await names('stale', 36)).toEqual([]);
      expect(await names('stale', 37)).toEqual(['live.example.org']);
      expect(await names('stale', 40 + 7 * 24)).toEqual(['live.example.org']);
      expect(await names('silent', 40 + 7 * 24 + 1)).toEqual(['live.example.org']);
      // Every host of this suite is in exactly one state.
      const later = await health(40 + 7 * 24 + 1);
      expect(later.reporting + later.stale + later.silent).toBe(3);
      expect(later.silent).toBe(3);
      const early = await health(3);
      expect([early.reporting, early.stale, early.silent]).toEqual([3, 0, 0]);
      expect(early.rebootRequired).toBe(1);
      expect(early.neverReported).toBeNull();
    });

    test('expected hosts without a row never reported', async () => {
      const expected = ['a.example.org', 'gone.example.org', 'new.example.org'];
      expect(await findNeverReported(t.database, expected)).toEqual(['gone.example.org', 'new.example.org']);
      const cutoffs = livenessCutoffs(at(3), DEFAULT_LIVENESS);
      expect((await readFleetHealth(t.database, cutoffs, expected)).neverReported).toBe(2);
    });

    test('the reboot filter lists the hosts that must reboot', async () => {
      const page = await listInventory(t.database, 'hosts', {
        offset: 0,
        limit: 50,
        sort: 'name',
        descending: false,
        q: '',
        filter: 'reboot',
      });
      expect(page.rows.map((r) => [r.name, r.rebootRequired])).toEqual([['legacy.example.org', true]]);
    });
  });
}
