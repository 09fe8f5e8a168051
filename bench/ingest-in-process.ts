/**
 * In-process ingest profile: applies a fleet written by `fleetgen.mjs --out DIR` one report at a
 * time, either through the app's request handler (`--http`, everything but the socket) or straight
 * through the store (mean cost of parsing, validating and applying). Meant for
 * `bun --cpu-prof-md bench/ingest-in-process.ts …` and for comparing changes to the hot path.
 *
 *   node ../shared/bench/fleetgen.mjs --catalog ../shared/bench/catalog.json.gz --hosts 200 \
 *     --packages 1500 --upgradable 30 --seed 1 --with-type --out /tmp/fleet
 *   bun bench/ingest-in-process.ts --fleet /tmp/fleet [--dialect sqlite|mysql] [--phases full,steady]
 *     [--http] [--database sqlite:/tmp/kept.sqlite]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/load-config.ts';
import { migrate } from '../src/db/migrate.ts';
import { type Database, openDatabase } from '../src/db/open-database.ts';
import { createMemoryLogger } from '../src/lib/logger.ts';
import { parseHostReport } from '../src/protocol/parse-host-report.ts';
import { applyHostReport } from '../src/store/host-reports.ts';
import { createApp } from '../src/web/app.ts';
import { createTestDatabase } from '../test/helpers/databases.ts';

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
  },
});

const target = values.database
  ? await openKept(values.database)
  : await createTestDatabase(values.dialect === 'mysql' ? 'mysql' : 'sqlite');
try {
  const send = values.http ? createHttpSender(target.database) : createStoreSender(target.database);
  for (const phase of String(values.phases).split(',')) {
    const dir = join(String(values.fleet), phase);
    const bodies = readdirSync(dir)
      .sort()
      .map((file) => readFileSync(join(dir, file), 'utf8'));
    const steps = new Map<string, number>();
    const started = performance.now();
    for (const body of bodies) await send(body, steps);
    const wall = performance.now() - started;
    const parts = [...steps].map(([step, ms]) => `${step} ${(ms / bodies.length).toFixed(2)} ms`);
    console.log(
      `${phase}: ${bodies.length} reports in ${(wall / 1000).toFixed(2)} s, ${(wall / bodies.length).toFixed(2)} ms each; ${parts.join(', ')}`,
    );
  }
} finally {
  await target.drop();
}

type Sender = (body: string, steps: Map<string, number>) => Promise<void>;

function createStoreSender(database: Database): Sender {
  return async (body, steps) => {
    const t0 = performance.now();
    const value = JSON.parse(body) as Record<string, unknown>;
    const t1 = performance.now();
    const parsed = parseHostReport(value);
    const t2 = performance.now();
    if (!parsed.success) throw new Error(parsed.message);
    await applyHostReport(database, parsed.output);
    const t3 = performance.now();
    add(steps, 'parse', t1 - t0);
    add(steps, 'validate', t2 - t1);
    add(steps, 'apply', t3 - t2);
  };
}

function createHttpSender(database: Database): Sender {
  const config = parseConfig({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false }, () => {});
  const app = createApp({ config, database, log: createMemoryLogger() });
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
