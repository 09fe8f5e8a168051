/**
 * History at fleet scale (docs/history.md, issue 16): a fleetgen fleet (real Debian 12 packages, seed
 * 1, 30 pending upgrades per host) loaded through the ingest path in-process, then `--days` simulated
 * days. fleetgen makes one step (its steady phase), so the days are chained here: each day a rollout
 * of a few packages common to the fleet reaches every host that has them (about 1% of a host's
 * packages: `--change-rate`), announced two days before as pending candidates (half of them
 * security); one host in ten (`--hook-share`) applies three of the day's upgrades first through a
 * dpkg-hook report; every host then sends its full report, derived from the day before. Afterwards it
 * prints the history's size on disk and times the history pages through app.request() (server time,
 * no network): p50 and p95 of `--runs` runs after 2 warm-ups.
 *
 *   bun bench/history.ts --kind sqlite|mysql [--hosts 1000] [--packages 1500] [--days 30]
 *     [--change-rate 0.01] [--hook-share 0.1] [--concurrency 4] [--runs 20]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createConnection } from 'mysql2/promise';
import { parseConfig } from '../src/config/load-config.ts';
import { migrate } from '../src/db/migrate.ts';
import { type Database, openDatabase } from '../src/db/open-database.ts';
import { createMemoryLogger } from '../src/lib/logger.ts';
import { parseHostReport } from '../src/protocol/parse-host-report.ts';
import type { HostReport } from '../src/protocol/report.ts';
import { foldAllPackageCounts, startPackageCountFold } from '../src/store/counts/package-count-fold.ts';
import { applyHostReport } from '../src/store/ingest/host-reports.ts';
import { buildHostUpgradeSummary, buildPackageIndex } from '../src/store/read/package-index.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { createApp } from '../src/web/app.ts';
import { streamFleetgen } from './fleetgen-fleet.ts';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'sqlite' },
    hosts: { type: 'string', default: '1000' },
    packages: { type: 'string', default: '1500' },
    days: { type: 'string', default: '30' },
    'change-rate': { type: 'string', default: '0.01' },
    'hook-share': { type: 'string', default: '0.1' },
    concurrency: { type: 'string', default: '4' },
    runs: { type: 'string', default: '20' },
    mysql: { type: 'string', default: 'mysql://root@127.0.0.1:3306' },
  },
});
const HOSTS = Number(args.hosts);
const PACKAGES = Number(args.packages);
const DAYS = Number(args.days);
const CHANGE_RATE = Number(args['change-rate']);
const HOOK_SHARE = Number(args['hook-share']);
const RUNS = Number(args.runs);
const CONCURRENCY = args.kind === 'mysql' ? Number(args.concurrency) : 1;
const DAY_MS = 86_400_000;
/** Day 0 of the simulation: the fleet's first reports; day DAYS was 12 hours ago. */
const START = Date.now() - DAYS * DAY_MS - DAY_MS / 2;

/** A small deterministic generator (the same days on every run). */
function createRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function openBenchDatabase(): Promise<{
  database: Database;
  sizeOf: () => Promise<HistorySize>;
  drop(): Promise<void>;
}> {
  if (args.kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'debmonitor-history-'));
    const file = join(dir, 'bench.sqlite');
    const database = await openDatabase(`sqlite:${file}`);
    await migrate(database);
    return {
      database,
      async sizeOf() {
        const rows = await database.sql.selectSql<{ name: string; bytes: number }>(
          sql`SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name = 'package_events' OR name LIKE 'package_events_%' GROUP BY name`,
        );
        const table = rows
          .filter((row) => row.name === 'package_events')
          .reduce((n, row) => n + Number(row.bytes), 0);
        const all = rows.reduce((n, row) => n + Number(row.bytes), 0);
        return { table, indexes: all - table, file: statSync(file).size };
      },
      async drop() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `debmonitor_history_bench_${Date.now()}`;
  const admin = await createConnection(`${args.mysql}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.end();
  const database = await openDatabase(`${args.mysql}/${name}`);
  await migrate(database);
  return {
    database,
    async sizeOf() {
      await database.sql.runSql(sql`ANALYZE TABLE package_events`);
      const [row] = await database.sql.selectSql<{ data: number; indexes: number; total: number }>(
        sql`SELECT data_length AS data, index_length AS indexes,
                   (SELECT SUM(data_length + index_length) FROM information_schema.TABLES WHERE table_schema = ${name}) AS total
            FROM information_schema.TABLES WHERE table_schema = ${name} AND table_name = 'package_events'`,
      );
      return { table: Number(row?.data), indexes: Number(row?.indexes), file: Number(row?.total) };
    },
    async drop() {
      await database.close();
      const conn = await createConnection(`${args.mysql}/`);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

interface HistorySize {
  /** The events table's bytes. */
  table: number;
  /** Its indexes' bytes. */
  indexes: number;
  /** The whole database (SQLite file, or every MariaDB table's data and indexes). */
  file: number;
}

/** Applies `reports` `CONCURRENCY` at a time; returns the seconds it took. */
async function applyAll(store: Store, reports: HostReport[], now: Date): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < reports.length) {
      const report = reports[next++] as HostReport;
      await applyHostReport(store, report, { now });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (performance.now() - started) / 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

async function main() {
  const bench = await openBenchDatabase();
  const { database } = bench;
  const store = createStore(database);
  const log = createMemoryLogger();
  const fold = args.kind === 'mysql' ? startPackageCountFold(database, { log }) : undefined;
  try {
    // Day 0: the fleet's first (full) reports.
    const stream = streamFleetgen('full', { hosts: HOSTS, packages: PACKAGES, concurrency: CONCURRENCY });
    const reports: HostReport[] = [];
    for (let line = await stream.next(); line !== null; line = await stream.next()) {
      const parsed = parseHostReport(JSON.parse(line));
      if (!parsed.success) throw new Error(`fleetgen report rejected: ${parsed.message}`);
      reports.push(parsed.output);
    }
    stream.stop();
    const coldSeconds = await applyAll(store, reports, new Date(START));
    const afterCold = await bench.sizeOf();
    process.stderr.write(`day 0: ${reports.length} full reports in ${coldSeconds.toFixed(0)} s\n`);

    // Packages on at least half of the hosts: what rollouts are made of.
    const onHosts = new Map<string, number>();
    for (const report of reports)
      for (const item of report.installed) onHosts.set(item.name, (onHosts.get(item.name) ?? 0) + 1);
    const common = [...onHosts]
      .filter(([, n]) => n >= HOSTS / 2)
      .map(([name]) => name)
      .sort();
    const random = createRandom(1);
    const perDay = Math.max(1, Math.round(PACKAGES * CHANGE_RATE));
    const rollouts: string[][] = [];
    for (let day = 0; day <= DAYS + 2; day++)
      rollouts.push(
        Array.from({ length: perDay }, () => common[Math.floor(random() * common.length)] as string),
      );

    let fullSeconds = 0;
    let hookSeconds = 0;
    let hookReports = 0;
    for (let day = 1; day <= DAYS; day++) {
      const now = new Date(START + day * DAY_MS);
      const today = new Set(rollouts[day]);
      const announced = new Map<string, number>();
      for (const ahead of [day + 2, day + 1])
        for (const name of rollouts[ahead] ?? []) announced.set(name, ahead);
      const hooks: HostReport[] = [];
      for (const [index, report] of reports.entries()) {
        const upgraded: { name: string; version: string; source?: string }[] = [];
        for (const item of report.installed)
          if (today.has(item.name)) {
            item.version = `${item.version}+d${day}`;
            upgraded.push(item);
          }
        if (index % Math.round(1 / HOOK_SHARE) === day % Math.round(1 / HOOK_SHARE) && upgraded.length > 0)
          hooks.push({
            ...report,
            update_type: 'dpkg_hook',
            installed: upgraded.slice(0, 3),
            uninstalled: [],
            upgradable: [],
          });
        // fleetgen's own candidates stay until their package moves; the rollouts of the next two days are announced.
        const names = new Set(report.installed.map((item) => item.name));
        report.upgradable = [
          ...report.upgradable.filter((item) => !today.has(item.name) && !announced.has(item.name)),
          ...[...announced]
            .filter(([name]) => names.has(name))
            .map(([name, ahead]) => {
              const item = report.installed.find((i) => i.name === name) as {
                name: string;
                version: string;
                source?: string;
              };
              return {
                name,
                version_from: item.version,
                version_to: `${item.version}+d${ahead}`,
                source: item.source ?? name,
                type: ahead % 2 === 0 ? 'security' : '',
              };
            }),
        ];
      }
      // The hooks run during the day, before the night's full reports.
      hookSeconds += await applyAll(store, hooks, new Date(now.getTime() - 3600_000));
      hookReports += hooks.length;
      fullSeconds += await applyAll(store, reports, now);
      if (day % 5 === 0 || day === DAYS)
        process.stderr.write(`day ${day}: ${reports.length} full and ${hooks.length} hook reports\n`);
    }
    if (fold) await fold.stop();
    if (args.kind === 'mysql') await foldAllPackageCounts(database);
    const size = await bench.sizeOf();
    const [events] = await database.sql.selectSql<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM package_events`,
    );
    const eventCount = Number(events?.n);

    await buildPackageIndex(database);
    await buildHostUpgradeSummary(database);
    const config = parseConfig(
      { VERIFY_CLIENTS: false, REQUIRE_LOGIN: false, DATABASE_URL: 'sqlite::memory:' },
      () => {},
    );
    const app = createApp({ config, store, log });
    const host = (reports[Math.floor(reports.length / 2)] as HostReport).hostname;
    const pkg = rollouts[DAYS]?.[0] as string;
    const source = reports[0]?.installed.find((item) => item.name === pkg)?.source ?? pkg;
    const suffix = host.slice(host.indexOf('.'));
    const pages: [string, string][] = [
      ['host timeline (newest first)', `/history/host/${host}`],
      ['host timeline, page 3', `/history/host/${host}?page=3`],
      ['host timeline, upgrades of one package', `/history/host/${host}?filter=upgraded&q=${pkg}`],
      ['host timeline export (CSV)', `/export/host-history.csv?host=${host}`],
      ['what changed, 24 h', '/changes/'],
      ['what changed, 7 days', '/changes/?range=7d'],
      ['what changed, 30 days', '/changes/?range=30d'],
      ['what changed, 7 days, host pattern', `/changes/?range=7d&hosts=*1${suffix}`],
      ['what changed, 7 days, one package, upgrades', `/changes/?range=7d&q=${pkg}&filter=upgraded`],
      ['what changed, 7 days, export (JSON)', '/export/changes.json?range=7d'],
      ['host page (exposed for, last patched)', `/hosts/${host}`],
      ['hosts list, security pending > 7 days', '/hosts/?filter=exposed_7d'],
      ['hosts list, by exposure', '/hosts/?sort=exposed'],
      ['package page with recent changes', `/packages/${pkg}`],
      ['source package page with recent changes', `/source-packages/${source}`],
    ];
    const rows: string[] = [];
    for (const [label, path] of pages) {
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let run = 0; run < RUNS + 2; run++) {
        const started = performance.now();
        const response = await app.request(`http://localhost${path}`);
        const body = await response.text();
        const elapsed = performance.now() - started;
        status = response.status;
        bytes = body.length;
        if (run >= 2) times.push(elapsed);
      }
      times.sort((a, b) => a - b);
      rows.push(
        `| ${label} | ${status} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${(bytes / 1024).toFixed(0)} KB |`,
      );
    }
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `${args.kind}: ${HOSTS} hosts × ${PACKAGES} packages, ${DAYS} days (${perDay} packages rolled out a day, ${hookReports} dpkg-hook reports); ` +
        `day 0 in ${coldSeconds.toFixed(0)} s, then ${DAYS * HOSTS} full reports in ${fullSeconds.toFixed(0)} s (${((DAYS * HOSTS) / fullSeconds).toFixed(0)}/s) and the hooks in ${hookSeconds.toFixed(0)} s.`,
    );
    console.log(
      `History: ${eventCount.toLocaleString('en')} events, ${mb(size.table)} MB table + ${mb(size.indexes)} MB indexes ` +
        `(${((size.table + size.indexes) / Math.max(1, eventCount)).toFixed(0)} bytes per event); database ${mb(afterCold.file)} MB after day 0, ${mb(size.file)} MB after day ${DAYS}.`,
    );
    console.log('');
    console.log(`| page (${RUNS} runs) | status | p50 ms | p95 ms | HTML |`);
    console.log('| --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    await bench.drop();
  }
}

await main();
process.exit(0);
