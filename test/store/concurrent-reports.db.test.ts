/**
 * Concurrent reports for the same hosts: two app instances on one database (as two servers behind a
 * load balancer) and full reports racing dpkg-hook reports. The final state is the last report
 * applied, and the counters match the rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/open-database.ts';
import { createMemoryLogger } from '../../src/lib/logger.ts';
import { createStore } from '../../src/store/store.ts';
import { createApp } from '../../src/web/app.ts';
import { DIALECTS } from '../helpers/databases.ts';
import { readOwnerState } from '../helpers/package-state.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const HOSTS = ['race1.example.com', 'race2.example.com', 'race3.example.com'];

function fullReport(host: string, round: number) {
  return {
    hostname: host,
    os: 'Debian 12',
    running_kernel: { release: 'r', version: `k${round % 2}` },
    update_type: 'full',
    installed: Array.from({ length: 60 }, (_, i) => ({
      name: `pkg${(i + round) % 80}`,
      version: `1.${round}`,
      source: `src${i % 20}`,
    })),
    upgradable: [
      {
        name: `pkg${round % 80}`,
        version_from: `1.${round}`,
        version_to: `2.${round}`,
        source: 'src0',
        type: round % 2 ? 'security' : '',
      },
    ],
  };
}

function hookReport(host: string, round: number) {
  return {
    hostname: host,
    os: 'Debian 12',
    running_kernel: { release: 'r', version: `k${round % 2}` },
    update_type: 'dpkg_hook',
    installed: [{ name: `hook${round}`, version: '1', source: 'hook' }],
    uninstalled: [{ name: `pkg${round % 80}` }],
  };
}

/** Counters must equal what the rows say. */
async function expectConsistentCounters(t: TestApp) {
  const rows = await t.database.sql.selectSql<Record<string, number>>(
    sql`SELECT h.package_count, h.upgrade_count, h.security_count,
          (SELECT COUNT(*) FROM ${t.database.tables.hostPackages} p WHERE p.host_id = h.id) AS n,
          (SELECT COUNT(*) FROM ${t.database.tables.hostPackages} p WHERE p.host_id = h.id AND p.upgradable_version_id IS NOT NULL) AS u,
          (SELECT COUNT(*) FROM ${t.database.tables.hostPackages} p WHERE p.host_id = h.id AND p.upgrade_type = 'security') AS s
        FROM ${t.database.tables.hosts} h`,
  );
  for (const row of rows) {
    expect([Number(row.package_count), Number(row.upgrade_count), Number(row.security_count)]).toEqual([
      Number(row.n),
      Number(row.u),
      Number(row.s),
    ]);
  }
}

for (const kind of DIALECTS) {
  describe(`concurrent reports on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind });
    });
    afterAll(async () => t?.drop());

    test('full and dpkg-hook reports racing for one host: the last one applied wins', async () => {
      const host = 'hooked.example.com';
      const send = (body: unknown) =>
        t
          .request(`/hosts/${host}/update`, { method: 'POST', body: JSON.stringify(body) })
          .then((r) => r.status);
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, round) =>
          send(round % 3 === 2 ? hookReport(host, round) : fullReport(host, round)),
        ),
      );
      expect(statuses.every((status) => status === 201)).toBe(true);
      // In-process reports for one host apply in arrival order: the last one sent is the last applied.
      const state = await readOwnerState(t.database, 'host', host);
      const last = hookReport(host, 11);
      expect(state?.rows.some((row) => row[0] === last.installed[0]?.name)).toBe(true);
      expect(state?.rows.some((row) => row[0] === last.uninstalled[0]?.name)).toBe(false);
      expect(state?.rows.filter((row) => row[1] === '1.10').length).toBe(59);
      await expectConsistentCounters(t);
    });

    test('a report failing among concurrent ones leaves nothing behind; the others are applied', async () => {
      const send = (host: string, body: unknown) =>
        t
          .request(`/hosts/${host}/update`, { method: 'POST', body: JSON.stringify(body) })
          .then((r) => r.status);
      // Sent in one tick, so that on SQLite they share a group commit. The bad report creates an OS,
      // a kernel and its host row before it finds a new version without a source.
      const bad = {
        hostname: 'bad.example.com',
        os: 'Debian 13',
        running_kernel: { release: 'r', version: 'k-bad' },
        update_type: 'dpkg_hook',
        installed: [{ name: 'nosource', version: '9' }],
      };
      const statuses = await Promise.all([
        send('group1.example.com', fullReport('group1.example.com', 1)),
        send('bad.example.com', bad),
        send('group2.example.com', fullReport('group2.example.com', 2)),
      ]);
      expect(statuses).toEqual([201, 400, 201]);
      expect(await readOwnerState(t.database, 'host', 'bad.example.com')).toBeUndefined();
      const { operatingSystems, kernels } = t.database.tables;
      expect(
        await t.database.db.select().from(operatingSystems).where(eq(operatingSystems.name, 'Debian 13')),
      ).toEqual([]);
      expect(await t.database.db.select().from(kernels).where(eq(kernels.name, 'k-bad'))).toEqual([]);
      expect((await readOwnerState(t.database, 'host', 'group1.example.com'))?.rows.length).toBe(60);
      expect((await readOwnerState(t.database, 'host', 'group2.example.com'))?.rows.length).toBe(60);
      await expectConsistentCounters(t);
    });

    if (kind === 'mysql') {
      test('two app instances on one database serialize reports per host', async () => {
        const second = await openDatabase(t.url);
        try {
          const other = createApp({
            config: t.config,
            store: createStore(second),
            log: createMemoryLogger(),
          });
          const apps = [t.app, other];
          const sends: Promise<number>[] = [];
          for (let round = 0; round < 8; round++) {
            for (const host of HOSTS) {
              const app = apps[(round + HOSTS.indexOf(host)) % 2]!;
              const body = JSON.stringify(fullReport(host, round));
              sends.push(
                Promise.resolve(
                  app.request(
                    `http://localhost/hosts/${host}/update`,
                    { method: 'POST', body },
                    { remoteAddress: '127.0.0.1' },
                  ),
                ).then((r) => r.status),
              );
            }
          }
          expect(new Set(await Promise.all(sends))).toEqual(new Set([201]));
          // Whatever order the two instances applied them in, each host holds exactly one report's state.
          for (const host of HOSTS) {
            const state = await readOwnerState(t.database, 'host', host);
            const versions = new Set(state?.rows.map((row) => row[1]));
            expect(versions.size).toBe(1);
            expect(state?.rows.length).toBe(60);
            const round = Number([...versions][0]?.split('.')[1]);
            expect(state?.rows.map((row) => row[0]).sort()).toEqual(
              fullReport(host, round)
                .installed.map((item) => item.name)
                .sort(),
            );
          }
          // A final round sent one after the other must be the final state.
          for (const host of HOSTS) {
            const response = await other.request(
              `http://localhost/hosts/${host}/update`,
              { method: 'POST', body: JSON.stringify(fullReport(host, 9)) },
              { remoteAddress: '127.0.0.1' },
            );
            expect(response.status).toBe(201);
            expect(new Set((await readOwnerState(t.database, 'host', host))?.rows.map((r) => r[1]))).toEqual(
              new Set(['1.9']),
            );
          }
          await expectConsistentCounters(t);
        } finally {
          await second.close();
        }
      });
    }
  });
}
