/** Real server processes receiving real reports over HTTP; two of them on one database. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/db/open-database.ts';
import { foldAllPackageCounts } from '../src/store/counts/package-count-fold.ts';
import { createEmptyDatabase, DIALECTS } from './helpers/databases.ts';
import { readCountsByName, recountByName } from './helpers/package-counts.ts';
import { readOwnerState } from './helpers/package-state.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

const ENTRY = resolve(import.meta.dir, '../src/server.ts');

function report(host: string, round: number) {
  return JSON.stringify({
    api_version: 'v1',
    hostname: host,
    os: 'Debian 12',
    running_kernel: {
      release: '6.1.0-18-amd64',
      version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
    },
    update_type: 'full',
    installed: Array.from({ length: 40 }, (_, i) => ({
      name: `p${i}`,
      version: `${round}.0-1`,
      source: `s${i % 7}`,
    })),
    uninstalled: [],
    upgradable: [
      {
        name: 'p1',
        version_from: `${round}.0-1`,
        version_to: `${round}.1-1`,
        source: 's1',
        type: 'security',
      },
    ],
  });
}

for (const kind of DIALECTS) {
  describe(`two server processes on one ${kind} database`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'debmonitor-reports-'));
    let database: { url: string; drop(): Promise<void> };
    let servers: ServerProcess[] = [];
    beforeAll(async () => {
      database = await createEmptyDatabase(kind);
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ DATABASE_URL: database.url, REQUIRE_LOGIN: false }),
      );
      const first = await startServerProcess({ cwd: dir, args: ['--config', join(dir, 'config.json')] });
      const second = await startServerProcess({
        cwd: dir,
        args: ['--config', join(dir, 'config.json'), '--no-migrate'],
      });
      servers = [first, second];
    });
    afterAll(async () => {
      for (const server of servers) await server.stop();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('interleaved reports for the same hosts: each host holds the last report', async () => {
      const hosts = ['a.example.com', 'b.example.com'];
      const send = (server: ServerProcess, host: string, round: number) =>
        fetch(`${server.url}/hosts/${host}/update`, {
          method: 'POST',
          body: report(host, round),
          headers: { 'X-Client-Cert-Verify': 'SUCCESS', 'X-Client-Cert-Subject-DN': `CN=${host}` },
        }).then((response) => response.status);
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, round) =>
          hosts.map((host, i) => send(servers[(round + i) % 2]!, host, round)),
        ).flat(),
      );
      expect(new Set(statuses)).toEqual(new Set([201]));
      for (const host of hosts) expect(await send(servers[1]!, host, 42)).toBe(201);

      const db = await openDatabase(database.url);
      try {
        for (const host of hosts) {
          const state = await readOwnerState(db, 'host', host);
          expect(state?.rows.length).toBe(40);
          expect(new Set(state?.rows.map((row) => row[1]))).toEqual(new Set(['42.0-1']));
          expect(state?.rows.find((row) => row[0] === 'p1')).toEqual(['p1', '42.0-1', '42.1-1', 'security']);
          expect(state?.counts).toEqual([40, 1, 1]);
        }
      } finally {
        await db.close();
      }
      expect(servers[0]!.output()).toMatch(
        /host a\.example\.com report \(full\): added=\d+ changed=\d+ removed=\d+ upgradable=1 in [\d.]+ ms/,
      );
    });

    test('without certificate headers a report is refused (VERIFY_CLIENTS defaults to true)', async () => {
      const response = await fetch(`${servers[0]!.url}/hosts/a.example.com/update`, {
        method: 'POST',
        body: report('a.example.com', 1),
      });
      expect(response.status).toBe(403);
    });

    test('debmonitor-server gc prints upstream lines', async () => {
      const run = Bun.spawnSync([process.execPath, ENTRY, 'gc', '--config', join(dir, 'config.json')], {
        cwd: dir,
      });
      const lines = run.stdout.toString().trim().split('\n');
      expect(run.exitCode).toBe(0);
      expect(lines).toContain('Deleted 0 Host objects not updated in the last 15 days');
      expect(lines.at(-1)).toMatch(/^Deleted \d+ KernelVersion objects not referenced by any Host$/);
      // Upstream's seven lines, and the history events pruned (docs/history.md, default 400 days).
      expect(lines).toContain('Deleted 0 history events older than 400 days');
      expect(lines.length).toBe(8);
    });

    test("debmonitor-server recount repairs the packages' counts", async () => {
      const db = await openDatabase(database.url);
      try {
        const exact = await recountByName(db);
        expect(Object.keys(exact).length).toBeGreaterThan(0);
        // On MariaDB the reports' deltas may not be folded yet: fold them, then spoil the base.
        await foldAllPackageCounts(db);
        await db.transaction((tx) => tx.sql.run('UPDATE package_counts SET installed = installed + 5', []));
        expect(await readCountsByName(db)).not.toEqual(exact);
        const run = Bun.spawnSync(
          [process.execPath, ENTRY, 'recount', '--config', join(dir, 'config.json')],
          {
            cwd: dir,
          },
        );
        expect(run.stderr.toString()).toBe('');
        expect(run.exitCode).toBe(0);
        const installed = Object.values(exact).filter(([count]) => count > 0).length;
        expect(run.stdout.toString()).toBe(`Recounted the counts of ${installed} packages\n`);
        expect(await readCountsByName(db)).toEqual(exact);
      } finally {
        await db.close();
      }
    });
  });
}
