/**
 * One very large host report, then exports of it, against the real server: how long each holds a
 * concurrent `GET /healthz` (one probe at a time, every 10 ms) and how much the server's RSS grows.
 *
 *   bun bench/large.ts [--kind sqlite|mysql] [--packages 300000] [--max-report-packages N]
 *     [--exports] [--runs 1]
 *
 * `--max-report-packages` sets MAX_REPORT_PACKAGES (raise it to load a host above the default cap,
 * as data from before the cap would be). `--exports` then restarts the server and times exports of
 * that host (RSS before → peak is then that of a process that took no report).
 * Package names are `bigpkg-NNNNNN`, so `/export/search.csv?q=big` finds every one of them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { startServerProcess } from '../test/helpers/server-process.ts';
import { buildBigReport } from './big-report.ts';

const MYSQL_URL = process.env.DEBMONITOR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'sqlite' },
    packages: { type: 'string', default: '300000' },
    'max-report-packages': { type: 'string' },
    exports: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
  },
});
const PACKAGES = Number(args.packages);
const HOST = 'big.example.org';

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

interface PhaseResult {
  label: string;
  status: number;
  ms: number;
  bytes: number;
  chunks: number;
  /** Longest /healthz answer while the phase ran, and how many answered. */
  healthzMaxMs: number;
  healthzP50Ms: number;
  healthzCount: number;
  rssBeforeMb: number;
  rssPeakMb: number;
}

/** Runs `work` while probing /healthz and sampling the server's RSS. */
async function phase(
  label: string,
  url: string,
  pid: number,
  work: () => Promise<{ status: number; bytes: number; chunks: number }>,
): Promise<PhaseResult> {
  Bun.gc(true);
  await Bun.sleep(500);
  const rssBeforeMb = rssMb(pid);
  let rssPeakMb = rssBeforeMb;
  let running = true;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
  }, 20);
  const latencies: number[] = [];
  const prober = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/healthz`);
        await response.text();
      } catch {
        return;
      }
      latencies.push(performance.now() - started);
      await Bun.sleep(10);
    }
  })();
  const started = performance.now();
  const outcome = await work().catch((error: Error) => {
    console.error(`  ${label}: ${error.message}`);
    return { status: 0, bytes: 0, chunks: 0 };
  });
  const ms = performance.now() - started;
  running = false;
  await prober;
  clearInterval(sampler);
  rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
  console.error(`  ${label}: ${outcome.status} in ${(ms / 1000).toFixed(2)} s`);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label,
    ...outcome,
    ms,
    healthzMaxMs: sorted.at(-1) ?? 0,
    healthzP50Ms: sorted[Math.floor(sorted.length / 2)] ?? 0,
    healthzCount: sorted.length,
    rssBeforeMb,
    rssPeakMb,
  };
}

async function post(url: string, body: string) {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json' },
  });
  const text = await response.text();
  if (response.status >= 300) console.error(`  ${response.status}: ${text.slice(0, 200)}`);
  return { status: response.status, bytes: body.length, chunks: 1 };
}

async function download(url: string) {
  const response = await fetch(url);
  let bytes = 0;
  let chunks = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    chunks++;
  }
  return { status: response.status, bytes, chunks };
}

async function createDatabase(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (args.kind === 'sqlite') return { url: `sqlite:${join(dir, 'bench.sqlite')}`, drop: async () => {} };
  const name = `debmonitor_bench_large_${Date.now()}`;
  const admin = await createConnection(`${MYSQL_URL}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.end();
  return {
    url: `${MYSQL_URL}/${name}`,
    async drop() {
      const conn = await createConnection(`${MYSQL_URL}/`);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

async function run(): Promise<PhaseResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'debmonitor-bench-large-'));
  const database = await createDatabase(dir);
  const configPath = join(dir, 'config.json');
  const config: Record<string, unknown> = {
    DATABASE_URL: database.url,
    VERIFY_CLIENTS: false,
    REQUIRE_LOGIN: false,
  };
  if (args['max-report-packages']) config.MAX_REPORT_PACKAGES = Number(args['max-report-packages']);
  writeFileSync(configPath, JSON.stringify(config));
  const start = () =>
    startServerProcess({ cwd: dir, args: ['--config', configPath], env: { DEBMONITOR_LOG_LEVEL: 'warn' } });
  let server = await start();
  const results: PhaseResult[] = [];
  try {
    // A small host first, so the OS, kernel and caches exist and the timing is of the size alone.
    await post(`${server.url}/hosts/small.example.org/update`, buildBigReport('small.example.org', 100));
    const body = buildBigReport(HOST, PACKAGES);
    results.push(
      await phase(`report of ${PACKAGES} packages`, server.url, server.pid, () =>
        post(`${server.url}/hosts/${HOST}/update`, body),
      ),
    );
    if (args.exports) {
      // A fresh process, so that the exports' memory is not hidden in the heap the report grew.
      await server.stop();
      server = await start();
      for (const path of [
        `/export/host-packages.csv?host=${HOST}`,
        `/export/host-packages.json?host=${HOST}`,
        `/export/host-packages.csv?host=${HOST}&sort=version`,
        '/export/search.csv?q=big',
        '/export/packages.csv?sort=name',
        '/export/packages.csv',
        '/export/source-packages.csv',
        '/export/source-packages.csv?sort=versions',
      ]) {
        const result = await phase(`GET ${path}`, server.url, server.pid, () =>
          download(`${server.url}${path}`),
        );
        results.push(result);
        if (result.status === 0) break;
      }
    }
  } finally {
    if (results.some((result) => result.status === 0)) console.error(server.output().slice(-3000));
    await server.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const all: PhaseResult[][] = [];
for (let i = 0; i < Number(args.runs); i++) all.push(await run());
console.log(
  `\n${args.kind}, ${PACKAGES} packages${args['max-report-packages'] ? `, MAX_REPORT_PACKAGES ${args['max-report-packages']}` : ''}\n`,
);
console.log('| phase | status | time | body | chunks | /healthz max (p50, n) | RSS before → peak |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const results of all)
  for (const r of results)
    console.log(
      `| ${r.label} | ${r.status} | ${(r.ms / 1000).toFixed(2)} s | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.chunks} | ${r.healthzMaxMs.toFixed(0)} ms (${r.healthzP50Ms.toFixed(1)} ms, ${r.healthzCount}) | ${r.rssBeforeMb.toFixed(0)} → ${r.rssPeakMb.toFixed(0)} MB |`,
    );
