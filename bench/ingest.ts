/**
 * Ingest benchmark: starts the real server (SQLite file, then a fresh MariaDB database) and drives it
 * with the shared fleet tools (drive.mjs: cold, steady, dpkg and upgradable phases), sampling the
 * server's RSS and database size. Results go to bench/results/ingest-<dialect>.json.
 *
 *   bun bench/ingest.ts [--hosts 1000] [--packages 1500] [--dialects sqlite,mysql] [--runs 1] [--cve-feed 16]
 *
 * `--cve-feed N` imports, after the cold phase, a feed of N CVEs per source the fleet's full reports
 * name (bench/cve-feed.ts writeFeedForSources), so that the later phases pay for keeping CVE findings
 * (docs/cve.md, "What a report costs"): drive.mjs runs the cold phase, the feed is imported into the
 * server's database, then drive.mjs runs the other phases (fleetgen's state is deterministic by seed,
 * and a full phase changes none of it).
 *
 * With `--runs N`, each dialect runs N times on a fresh server and database, and the table shows the
 * runs side by side (on a 2-core machine the same code varies by ±20% from run to run).
 * The fleet tools come from $DEBMONITOR_FLEET_TOOLS (default ../shared/bench beside the repository).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { openDatabase } from '../src/db/open-database.ts';
import { importFeed } from '../src/store/cve/import-feed.ts';
import { startServerProcess } from '../test/helpers/server-process.ts';
import { writeFeedForSources } from './cve-feed.ts';

const ROOT = resolve(import.meta.dir, '..');
const TOOLS = resolve(ROOT, process.env.DEBMONITOR_FLEET_TOOLS ?? '../shared/bench');
const MYSQL_URL = process.env.DEBMONITOR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface IngestBenchOptions {
  hosts: number;
  packages: number;
  dialects: string[];
  /** Runs per dialect. */
  runs: number;
  /** CVEs per source of a feed imported after the cold phase (0: none). */
  cveFeed: number;
}

/** Where a run's database lives, and how to remove it. */
interface BenchDatabase {
  url: string;
  /** File or directory whose size drive.mjs reports. */
  sizePath: string;
  drop(): Promise<void>;
}

async function createBenchDatabase(dialect: string, dir: string): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const file = join(dir, 'bench.sqlite');
    return { url: `sqlite:${file}`, sizePath: file, drop: async () => {} };
  }
  const name = `debmonitor_bench_${Date.now()}`;
  const admin = await createConnection(`${MYSQL_URL}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.end();
  return {
    url: `${MYSQL_URL}/${name}`,
    sizePath: `/var/lib/mysql/${name}`,
    async drop() {
      const conn = await createConnection(`${MYSQL_URL}/`);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/** The parts of drive.mjs's JSON result that two drives around a feed import merge. */
interface DriveResult {
  phases: Record<string, unknown>;
  db?: { size_mb_after_phase: Record<string, number> } | null;
  server?: { peak_rss_mb: number } | null;
}

/** Runs the phases on one dialect, writes drive.mjs's JSON result to `out` and returns it. */
async function benchDialect(
  dialect: string,
  options: IngestBenchOptions,
  out: string,
  label: string,
): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'debmonitor-bench-'));
  const database = await createBenchDatabase(dialect, dir);
  const configPath = join(dir, 'config.json');
  // Agents identify with proxy headers from 127.0.0.1, a trusted proxy by default; pages are open.
  writeFileSync(
    configPath,
    JSON.stringify({ DATABASE_URL: database.url, VERIFY_CLIENTS: true, REQUIRE_LOGIN: false }),
  );
  const server = await startServerProcess({
    cwd: dir,
    args: ['--config', configPath],
    env: { DEBMONITOR_LOG_LEVEL: 'warn' },
  });
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const drive = async (phases: string, to: string) => {
    const child = Bun.spawn(
      [
        'node',
        join(TOOLS, 'drive.mjs'),
        ...['--url', server.url, '--catalog', join(TOOLS, 'catalog.json.gz')],
        ...['--hosts', String(options.hosts), '--packages', String(options.packages), '--upgradable', '30'],
        ...['--seed', '1', '--concurrency', '4', '--with-type', '--phases', phases],
        ...['--pid', String(server.pid), '--db-path', database.sizePath],
        ...['--label', label, '--out', to],
      ],
      { stdout: 'pipe', stderr: 'inherit' },
    );
    const text = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) throw new Error(`drive.mjs failed on ${dialect}`);
    return JSON.parse(text) as DriveResult;
  };
  try {
    let result: DriveResult;
    if (options.cveFeed > 0) {
      // Two drives around the import; one result, as report.mjs reads it, with every phase.
      const cold = await drive('cold', out);
      await importFleetFeed(database.url, options, dir);
      result = await drive('steady,dpkg,upgradable', out);
      result.phases = { ...cold.phases, ...result.phases };
      if (cold.db && result.db)
        result.db.size_mb_after_phase = { ...cold.db.size_mb_after_phase, ...result.db.size_mb_after_phase };
      if (cold.server && result.server)
        result.server.peak_rss_mb = Math.max(cold.server.peak_rss_mb, result.server.peak_rss_mb);
      writeFileSync(out, JSON.stringify(result, null, 2));
    } else result = await drive('cold,steady,dpkg,upgradable', out);
    // The server logs at warn level: background failures (a fold that hit a deadlock) show here.
    const warnings = server
      .output()
      .split('\n')
      .filter((line) => /^(WARN|ERROR) /.test(line));
    console.error(`server warnings on ${dialect}: ${warnings.length}`);
    for (const line of warnings.slice(0, 5)) console.error(`  ${line}`);
    return result;
  } finally {
    await server.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Imports, into the database at `url`, a feed of `cveFeed` CVEs per source of the fleet's full
 * reports (fleetgen's, from the same options as drive.mjs), and prints what it took.
 */
async function importFleetFeed(url: string, options: IngestBenchOptions, dir: string): Promise<void> {
  const { Fleet, loadCatalog, phasePayloads } = await import(join(TOOLS, 'fleetgen.mjs'));
  const fleet = new Fleet(loadCatalog({ catalogPath: join(TOOLS, 'catalog.json.gz') }), {
    hosts: options.hosts,
    packages: options.packages,
    upgradable: 30,
    seed: '1',
    securityShare: 0.7,
    withType: true,
  });
  const sources = new Map<string, string>();
  for (const payload of phasePayloads(fleet, 'full', {}) as Iterable<{
    installed: { name: string; version: string; source?: string; source_version?: string }[];
  }>)
    for (const item of payload.installed)
      sources.set(item.source ?? item.name, item.source_version ?? item.version);
  const file = join(dir, 'feed.json');
  const bytes = await writeFeedForSources(file, sources, { perSource: options.cveFeed });
  const database = await openDatabase(url);
  try {
    const started = performance.now();
    const outcome = await importFeed(database, { from: file, userAgent: 'bench' });
    console.error(
      `CVE feed: ${(bytes / 1e6).toFixed(1)} MB for ${sources.size} sources, imported in ${((performance.now() - started) / 1000).toFixed(1)} s (${outcome.kind})`,
    );
  } finally {
    await database.close();
  }
}

/** Runs the ingest benchmark on every requested dialect and prints a markdown table. */
export async function runIngestBench(options: IngestBenchOptions): Promise<void> {
  const files: string[] = [];
  for (const dialect of options.dialects) {
    for (let run = 1; run <= options.runs; run++) {
      const suffix = options.runs > 1 ? `-${run}` : '';
      const out = join(ROOT, 'bench', 'results', `ingest-${dialect}${suffix}.json`);
      const label = `debmonitor-bun ${dialect}${options.runs > 1 ? ` #${run}` : ''}`;
      console.error(`ingest bench on ${label}: ${options.hosts} hosts × ${options.packages} packages`);
      await benchDialect(dialect, options, out, label);
      files.push(out);
    }
  }
  const report = Bun.spawn(['node', join(TOOLS, 'report.mjs'), ...files], {
    stdout: 'inherit',
    stderr: 'inherit',
  });
  await report.exited;
}

/** Options from the command line. */
export function parseIngestArgs(argv: string[]): IngestBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      hosts: { type: 'string', default: '1000' },
      packages: { type: 'string', default: '1500' },
      dialects: { type: 'string', default: 'sqlite,mysql' },
      runs: { type: 'string', default: '1' },
      'cve-feed': { type: 'string', default: '0' },
    },
  });
  return {
    hosts: Number(values.hosts),
    packages: Number(values.packages),
    dialects: String(values.dialects).split(','),
    runs: Math.max(1, Number(values.runs) || 1),
    cveFeed: Math.max(0, Number(values['cve-feed']) || 0),
  };
}

if (import.meta.main) await runIngestBench(parseIngestArgs(Bun.argv.slice(2)));
