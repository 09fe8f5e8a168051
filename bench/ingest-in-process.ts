/**
 * In-process ingest profile: applies a fleet written by `fleetgen.mjs --out DIR` one report at a
 * time, either through the app's request handler (`--http`, everything but the socket) or straight
 * through the store (mean cost of parsing, validating and applying). Meant for
 * `bun --cpu-prof-md bench/ingest-in-process.ts …` and for comparing changes to the hot path.
 *
 *   node ../shared/bench/fleetgen.mjs --catalog ../shared/bench/catalog.json.gz --hosts 200 \
 *     --packages 1500 --upgradable 30 --seed 1 --with-type --out /tmp/fleet
 *   bun bench/ingest-in-process.ts --fleet /tmp/fleet [--dialect sqlite|mysql] [--phases full,steady]
 *     [--http] [--database sqlite:/tmp/kept.sqlite] [--concurrency 4] [--limit 300] [--cve-feed 16]
 *
 * `--concurrency N` keeps N reports in flight (as N agents would), which lets SQLite group commits;
 * the per-report latency percentiles are then printed too. `--limit` applies only the first reports
 * of each phase. On MySQL the CPU the local mariadbd (or mysqld) spent is printed too, from /proc: it
 * counts every client's work, so only on a machine where nothing else uses the server.
 * of each phase. `--cve-feed N` imports, after the first phase, a feed of N CVEs per source the
 * fleet's full reports name (bench/cve-feed.ts writeFeedForSources), so that the later phases pay
 * for keeping CVE findings (docs/cve.md, "What a report costs").
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/load-config.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { createMemoryLogger } from '../src/lib/logger.ts';
import { parseHostReport } from '../src/protocol/parse-host-report.ts';
import { importFeed } from '../src/store/cve/import-feed.ts';
import { applyHostReport } from '../src/store/ingest/host-reports.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { createApp } from '../src/web/app.ts';
import { createTestDatabase } from '../test/helpers/databases.ts';
import { writeFeedForSources } from './cve-feed.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    fleet: { type: 'string', default: '/tmp/fleet' },
    dialect: { type: 'string', default: 'sqlite' },
    phases: { type: 'string', default: 'full,steady,dpkg,upgradable' },
    /** Through the app's request handler (middleware, body reading, validation, logging). */
    http: { type: 'boolean', default: false },
    /** An existing database to apply the phases to (kept afterwards), instead of a fresh one. */
    database: { type: 'string' },
    /** Reports in flight at once. */
    concurrency: { type: 'string', default: '1' },
    /** Reports per phase (default: all). */
    limit: { type: 'string' },
    /** CVEs per source of a feed imported after the first phase (0: none). */
    'cve-feed': { type: 'string', default: '0' },
  },
});

const target = values.database
  ? await openKept(values.database)
  : await createTestDatabase(values.dialect === 'mysql' ? 'mysql' : 'sqlite');
try {
  const store = createStore(target.database);
  const send = values.http ? createHttpSender(store) : createStoreSender(store);
  for (const phase of String(values.phases).split(',')) {
    const dir = join(String(values.fleet), phase);
    const bodies = readdirSync(dir)
      .sort()
      .slice(0, values.limit ? Number(values.limit) : undefined)
      .map((file) => readFileSync(join(dir, file), 'utf8'));
    const steps = new Map<string, number>();
    const latencies: number[] = [];
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const serverBefore = serverCpuMs();
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const t0 = performance.now();
        await send(body, steps);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(values.concurrency)) }, worker));
    const wall = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000 / bodies.length;
    const serverMs = serverBefore === null ? null : ((serverCpuMs() ?? 0) - serverBefore) / bodies.length;
    const server = serverMs === null ? '' : `, mariadbd ${serverMs.toFixed(2)} ms`;
    const parts = [...steps].map(([step, ms]) => `${step} ${(ms / bodies.length).toFixed(2)} ms`);
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1);
    if (Number(values['cve-feed']) > 0 && phase === 'full') await importCveFeed(target.database, bodies);
    console.log(
      `${phase}: ${bodies.length} reports in ${(wall / 1000).toFixed(2)} s, ${(wall / bodies.length).toFixed(2)} ms each (CPU ${cpuMs.toFixed(2)} ms${server}); ${parts.join(', ')}; latency p50/p95/p99 ${at(0.5)}/${at(0.95)}/${at(0.99)} ms`,
    );
  }
} finally {
  await target.drop();
}

type Sender = (body: string, steps: Map<string, number>) => Promise<void>;

function createStoreSender(store: Store): Sender {
  return async (body, steps) => {
    const t0 = performance.now();
    const value = JSON.parse(body) as Record<string, unknown>;
    const t1 = performance.now();
    const parsed = parseHostReport(value);
    const t2 = performance.now();
    if (!parsed.success) throw new Error(parsed.message);
    await applyHostReport(store, parsed.output);
    const t3 = performance.now();
    add(steps, 'parse', t1 - t0);
    add(steps, 'validate', t2 - t1);
    add(steps, 'apply', t3 - t2);
  };
}

function createHttpSender(store: Store): Sender {
  const config = parseConfig({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false }, () => {});
  const app = createApp({ config, store, log: createMemoryLogger() });
  return async (body, steps) => {
    const hostname = (/"hostname":\s*"([^"]+)"/.exec(body) ?? [])[1];
    const t0 = performance.now();
    const response = await app.request(`http://localhost/hosts/${hostname}/update`, { method: 'POST', body });
    if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
    add(steps, 'request', performance.now() - t0);
  };
}

function add(steps: Map<string, number>, step: string, ms: number) {
  steps.set(step, (steps.get(step) ?? 0) + ms);
}

async function openKept(url: string) {
  const database = await openDatabase(url);
  await migrate(database);
  return { database, drop: () => database.close() };
}

/** The CPU time (ms) of the local MariaDB or MySQL server, from /proc; null on SQLite or without one. */
function serverCpuMs(): number | null {
  if (values.dialect !== 'mysql' || values.database) return null;
  for (const name of ['mariadbd', 'mysqld']) {
    const pid = Bun.spawnSync(['pidof', name]).stdout.toString().trim().split(' ')[0];
    if (!pid) continue;
    // utime and stime, the 14th and 15th fields, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }
  return null;
}

/** Imports a feed naming the sources of `bodies` (the full reports), and prints what it took. */
async function importCveFeed(database: Parameters<typeof importFeed>[0], bodies: readonly string[]) {
  const sources = new Map<string, string>();
  for (const body of bodies)
    for (const item of (
      JSON.parse(body) as {
        installed: { name: string; version: string; source?: string; source_version?: string }[];
      }
    ).installed)
      sources.set(item.source ?? item.name, item.source_version ?? item.version);
  const dir = mkdtempSync(join(tmpdir(), 'cve-feed-'));
  const file = join(dir, 'feed.json');
  const bytes = await writeFeedForSources(file, sources, { perSource: Number(values['cve-feed']) });
  const started = performance.now();
  const outcome = await importFeed(database, { from: file, userAgent: 'bench' });
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `CVE feed: ${(bytes / 1e6).toFixed(1)} MB for ${sources.size} sources, imported in ${((performance.now() - started) / 1000).toFixed(1)} s (${outcome.kind})`,
  );
}
