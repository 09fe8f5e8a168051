/**
 * Page latency at fleet scale: loads a fleet, then times every page through app.request() (server
 * time, no network) and prints p50 and p95 per page as a markdown table.
 *
 *   bun bench/pages.ts --kind sqlite|mysql --hosts 10000 --packages 1500 [--fleet fleetgen|synthetic]
 *     [--runs 20] [--report-rate 50] [--concurrency 4] [--keep PATH] [--cve-feed 16]
 *
 * `--fleet fleetgen` (the default): ../shared/bench/fleetgen.mjs (real Debian 12 packages, seed 1,
 * 30 pending upgrades per host, security types set) loaded through the ingest path in-process
 * (bench/fleetgen-fleet.ts), `--concurrency` reports at a time on MariaDB; the timed pages use real
 * names from it, and `--report-rate` sends fleetgen's steady reports (1% changed).
 *
 * `--fleet synthetic`: set-based INSERT … SELECT, no ingest involved. The fleet: a universe of 5,000 binary packages (one source each, two versions: installed and
 * candidate); every host has the same 1,200 base packages plus 300 from one of 12 role sets; about
 * 30 rows per host have a pending upgrade, 70% of them security; 8 kernels; 200 images of 300
 * packages; 300 Kubernetes rows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createConnection } from 'mysql2/promise';
import { parseConfig } from '../src/config/load-config.ts';
import { listMigrations, migrate } from '../src/db/migrate.ts';
import { type Database, openDatabase } from '../src/db/open-database.ts';
import { createMemoryLogger } from '../src/lib/logger.ts';
import {
  foldAllPackageCounts,
  recountPackageCounts,
  startPackageCountFold,
} from '../src/store/counts/package-count-fold.ts';
import { importFeed } from '../src/store/cve/import-feed.ts';
import { buildHostUpgradeSummary, buildPackageIndex } from '../src/store/read/package-index.ts';
import { createStore } from '../src/store/store.ts';
import { createApp } from '../src/web/app.ts';
import { createExpectedHosts } from '../src/web/fleet/expected-hosts.ts';
import { renderFleetMetrics } from '../src/web/metrics/render-metrics.ts';
import { writeSyntheticFeed } from './cve-feed.ts';
import { type FleetPicks, loadFleetgenFleet, streamFleetgen } from './fleetgen-fleet.ts';

/** mariadbd's CPU time so far in ms (/proc), or null when it does not run on this machine. */
function mariadbCpuMs(): number | null {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'mariadbd') continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // utime and stime, fields 14 and 15 of stat (11 and 12 after the command), in clock ticks.
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {}
  }
  return null;
}

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'sqlite' },
    hosts: { type: 'string', default: '1000' },
    packages: { type: 'string', default: '1500' },
    runs: { type: 'string', default: '20' },
    mysql: { type: 'string', default: 'mysql://root@127.0.0.1:3306' },
    /**
     * Keep the database for looking at query plans afterwards: SQLite, the file at this path;
     * MySQL, a database of this name (created afresh).
     */
    keep: { type: 'string' },
    /** Full host reports per second sent while the pages are timed (0 = none). */
    'report-rate': { type: 'string', default: '0' },
    /** fleetgen (real packages, loaded through ingest) or synthetic (INSERT … SELECT). */
    fleet: { type: 'string', default: 'fleetgen' },
    /** fleetgen: reports applied at once while loading (MariaDB; SQLite has one writer). */
    concurrency: { type: 'string', default: '4' },
    /**
     * Synthetic fleet: also this many days of history (docs/history.md), set-based: a baseline per
     * host, then each day about 1% of every host's base packages upgraded; the history pages are timed.
     */
    'history-days': { type: 'string', default: '0' },
    /**
     * Synthetic fleet: import a synthetic security-tracker feed (bench/cve-feed.ts) with this many
     * CVEs per source package before timing, and time the CVE pages too (0: no feed).
     */
    'cve-feed': { type: 'string', default: '0' },
    /**
     * With --cve-feed: the share of CVEs a third import's feed changes (bench/cve-feed.ts `change`),
     * after the first import and a second one of the same feed (0: no third import).
     */
    'cve-change': { type: 'string', default: '0.01' },
  },
});
if (args.fleet !== 'fleetgen' && args.fleet !== 'synthetic') throw new Error('--fleet fleetgen|synthetic');
const FLEETGEN = args.fleet === 'fleetgen';
/** Hosts whose reports are re-sent while pages are timed (fleetgen fleet). */
const KEPT_REPORTS = 1000;
const HOSTS = Number(args.hosts);
const PER_HOST = Number(args.packages);
const RUNS = Number(args.runs);
const UNIVERSE = 5000;
const BASE = Math.round(PER_HOST * 0.8);
const EXTRA = PER_HOST - BASE;
const ROLES = 12;
const REPORT_RATE = Number(args['report-rate']);
const HISTORY_DAYS = Number(args['history-days']);
const DAY_MS = 86_400_000;
const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/**
 * About 140 bytes of host_packages data and indexes per row (2 GB at 15 M rows): with MariaDB's default 128 MB buffer pool
 * a large fleet's reports and pages read from disk, and the run measures the disk (README, "Ingest performance").
 */
async function warnOfSmallBufferPool(admin: Awaited<ReturnType<typeof createConnection>>): Promise<void> {
  const [rows] = await admin.query('SELECT @@innodb_buffer_pool_size AS size');
  const size = Number((rows as { size: number | string }[])[0]?.size ?? 0);
  const wanted = Number(args.hosts) * Number(args.packages) * 140;
  console.log(`InnoDB buffer pool: ${Math.round(size / 2 ** 20)} MB`);
  if (size < wanted)
    console.warn(
      `warning: the buffer pool is smaller than this fleet's host_packages (~${Math.round(wanted / 2 ** 20)} MB): ` +
        `raise it (SET GLOBAL innodb_buffer_pool_size = …) or the figures are the disk's`,
    );
}

async function createDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  if (args.kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'debmonitor-bench-'));
    const database = await openDatabase(`sqlite:${args.keep ?? join(dir, 'bench.sqlite')}`);
    return {
      database,
      async drop() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = args.keep ?? `debmonitor_bench_${process.pid}`;
  const admin = await createConnection(`${args.mysql}/`);
  await warnOfSmallBufferPool(admin);
  if (args.keep) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.end();
  const database = await openDatabase(`${args.mysql}/${name}`);
  return {
    database,
    async drop() {
      await database.close();
      if (args.keep) return;
      const conn = await createConnection(`${args.mysql}/`);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

async function loadSyntheticFleet(database: Database): Promise<void> {
  const now = Date.now();
  const stamp = database.kind === 'sqlite' ? sql`${now}` : sql`NOW(3)`;
  const run = (query: ReturnType<typeof sql>) => database.transaction(async (tx) => tx.sql.runSql(query));
  await run(sql`CREATE TABLE bench_numbers (i INTEGER PRIMARY KEY)`);
  const max = Math.max(HOSTS, UNIVERSE, 1000);
  for (let start = 1; start <= max; start += 1000) {
    const values = Array.from({ length: Math.min(1000, max - start + 1) }, (_, k) => sql`(${start + k})`);
    await run(sql`INSERT INTO bench_numbers (i) VALUES ${sql.join(values, sql`, `)}`);
  }
  const n = (limit: number) => sql`(SELECT i FROM bench_numbers WHERE i <= ${limit})`;
  await run(sql`INSERT INTO os (id, name) VALUES (1, 'Debian 12'), (2, 'Debian 11')`);
  await run(
    sql`INSERT INTO src_packages (id, name) SELECT i, CONCAT('src-', i) FROM ${n(UNIVERSE)} x`.inlineParams(),
  );
  await run(sql`INSERT INTO packages (id, name) SELECT i, CONCAT('pkg-', i) FROM ${n(UNIVERSE)} x`);
  // Version 2i-1 is installed everywhere, 2i is the candidate.
  await run(sql`INSERT INTO src_package_versions (id, src_package_id, version, os_id, created, modified)
    SELECT 2*i-1, i, CONCAT('1.', i, '-1'), 1, ${stamp}, ${stamp} FROM ${n(UNIVERSE)} x
    UNION ALL SELECT 2*i, i, CONCAT('1.', i, '-1+deb12u1'), 1, ${stamp}, ${stamp} FROM ${n(UNIVERSE)} y`);
  await run(sql`INSERT INTO package_versions (id, package_id, version, os_id, src_package_version_id, created, modified)
    SELECT id, src_package_id, version, 1, id, ${stamp}, ${stamp} FROM src_package_versions`);
  await run(sql`INSERT INTO kernels (id, name, slug, ${sql.identifier('release')}, os_id, created, modified)
    SELECT i, CONCAT('#1 SMP PREEMPT_DYNAMIC Debian 6.1.', i, '-1 (2024-02-01)'), CONCAT('1-smp-preempt_dynamic-debian-61', i, '-1-2024-02-01'),
      CONCAT('6.1.0-', i, '-amd64'), 1, ${stamp}, ${stamp} FROM ${n(8)} x`);
  await run(sql`INSERT INTO hosts (id, name, os_id, kernel_id, package_count, upgrade_count, security_count, created, modified)
    SELECT i, CONCAT('host-', i, '.eqiad.example.net'), 1, 1 + (i % 8), 0, 0, 0, ${stamp}, ${stamp} FROM ${n(HOSTS)} x`);
  // Base packages 1..BASE on every host, then EXTRA packages of the host's role.
  const upgradable = sql`((h.i * 31 + p.i * 17) % ${Math.round(PER_HOST / 30)} = 0)`;
  const security = sql`((h.i + p.i) % 10 < 7)`;
  const hostRows = (packageExpr: ReturnType<typeof sql>, from: ReturnType<typeof sql>) =>
    sql`INSERT INTO host_packages (host_id, package_id, package_version_id, upgradable_package_id, upgradable_version_id, upgrade_type, created, modified)
      SELECT h.i, ${packageExpr}, 2*(${packageExpr})-1,
        CASE WHEN ${upgradable} THEN ${packageExpr} END,
        CASE WHEN ${upgradable} THEN 2*(${packageExpr}) END,
        CASE WHEN ${upgradable} THEN (CASE WHEN ${security} THEN 'security' ELSE '' END) END,
        ${stamp}, ${stamp}
      FROM ${n(HOSTS)} h CROSS JOIN ${from} p`;
  for (let first = 1; first <= HOSTS; first += 1000) {
    const last = Math.min(HOSTS, first + 999);
    const slice = (query: ReturnType<typeof sql>) => sql`${query} WHERE h.i BETWEEN ${first} AND ${last}`;
    await run(slice(hostRows(sql`p.i`, n(BASE))));
    await run(slice(hostRows(sql`(${BASE} + (h.i % ${ROLES}) * ${EXTRA} + p.i)`, n(EXTRA))));
    process.stderr.write(`hosts ${last}/${HOSTS}\n`);
  }
  await run(sql`UPDATE hosts SET
    package_count = (SELECT count(*) FROM host_packages hp WHERE hp.host_id = hosts.id),
    upgrade_count = (SELECT count(*) FROM host_packages hp WHERE hp.host_id = hosts.id AND hp.upgradable_version_id IS NOT NULL),
    security_count = (SELECT count(*) FROM host_packages hp WHERE hp.host_id = hosts.id AND hp.upgrade_type = 'security')`);
  await run(sql`INSERT INTO images (id, name, os_id, package_count, upgrade_count, security_count, created, modified)
    SELECT i, CONCAT('docker-registry.example.net/team/service-', i, ':2024.', i), 1, 0, 0, 0, ${stamp}, ${stamp} FROM ${n(200)} x`);
  await run(sql`INSERT INTO image_packages (image_id, package_id, package_version_id, upgradable_package_id, upgradable_version_id, upgrade_type, created, modified)
    SELECT h.i, p.i, 2*p.i-1, CASE WHEN ${upgradable} THEN p.i END, CASE WHEN ${upgradable} THEN 2*p.i END,
      CASE WHEN ${upgradable} THEN (CASE WHEN ${security} THEN 'security' ELSE '' END) END, ${stamp}, ${stamp}
    FROM ${n(200)} h CROSS JOIN ${n(300)} p`);
  await run(sql`UPDATE images SET
    package_count = (SELECT count(*) FROM image_packages ip WHERE ip.image_id = images.id),
    upgrade_count = (SELECT count(*) FROM image_packages ip WHERE ip.image_id = images.id AND ip.upgradable_version_id IS NOT NULL),
    security_count = (SELECT count(*) FROM image_packages ip WHERE ip.image_id = images.id AND ip.upgrade_type = 'security')`);
  await run(sql`INSERT INTO kubernetes_images (cluster, namespace, image_id, containers, created, modified)
    SELECT CONCAT('cluster-', i % 3), CONCAT('namespace-', i % 25), 1 + (i % 200), 1 + (i % 7), ${stamp}, ${stamp} FROM ${n(300)} x`);
  await run(sql`DROP TABLE bench_numbers`);
  // The packages' counts, as ingest and the fold keep them (the backfill of migration 0001).
  await recountPackageCounts(database);
  await analyze(database);
}

/**
 * HISTORY_DAYS of synthetic history: a baseline per host at day 0, then on day d every host upgrades
 * the base packages p with p % 100 = (7d) % 100 (1% of them) from version 2p-1 to 2p, each host at
 * its own minute of the day (host id mod 1,440), the last day within the last 24 hours; hosts get a
 * last patch and, where a security upgrade is pending, an exposure of 0 to 39 days. One INSERT … SELECT
 * per day and thousand hosts; then the hourly rollup of "what changed", grouped from these events as
 * ingest would have added them (the migration's backfill).
 */
async function loadSyntheticHistory(database: Database): Promise<void> {
  const run = (query: ReturnType<typeof sql>) => database.transaction(async (tx) => tx.sql.runSql(query));
  const at = (day: number) => {
    const ms = Date.now() - DAY_MS / 2 - (HISTORY_DAYS - day) * DAY_MS;
    return database.kind === 'sqlite' ? sql`${ms}` : sql`${new Date(ms)}`;
  };
  // From 12 hours before `time` to 12 hours after, by host.
  const spread = (time: ReturnType<typeof sql>) =>
    database.kind === 'sqlite'
      ? sql`(${time} - ${DAY_MS / 2} + (hp.host_id % 1440) * 60000)`
      : sql`(${time} - INTERVAL 720 MINUTE + INTERVAL (hp.host_id % 1440) MINUTE)`;
  await run(sql`INSERT INTO package_events (owner_kind, owner_id, created, kind, report_type, detail)
    SELECT 'host', id, ${at(0)}, 'baseline', 'full', CAST(package_count AS CHAR) FROM hosts`);
  for (let day = 1; day <= HISTORY_DAYS; day++) {
    for (let first = 1; first <= HOSTS; first += 1000) {
      await run(sql`INSERT INTO package_events (owner_kind, owner_id, created, kind, report_type, package_id, from_version_id, to_version_id)
        SELECT 'host', hp.host_id, ${spread(at(day))}, 'upgraded', CASE WHEN hp.host_id % 10 = ${day % 10} THEN 'dpkg_hook' ELSE 'full' END,
          hp.package_id, 2 * hp.package_id - 1, 2 * hp.package_id
        FROM host_packages hp
        WHERE hp.host_id BETWEEN ${first} AND ${Math.min(HOSTS, first + 999)}
          AND hp.package_id <= ${BASE} AND hp.package_id % 100 = ${(7 * day) % 100}`);
    }
    if (day % 10 === 0) process.stderr.write(`history day ${day}/${HISTORY_DAYS}\n`);
  }
  const migration = listMigrations(database).find((m) => m.tag.endsWith('_package_change_hours'));
  const [fillHours] = (migration?.sql ?? '')
    .split('--> statement-breakpoint')
    .filter((statement) => statement.includes('INSERT INTO'));
  if (!fillHours) throw new Error('no backfill of package_change_hours in the migrations');
  await run(sql.raw(fillHours));
  await run(sql`UPDATE hosts SET last_upgraded = ${at(HISTORY_DAYS)}`);
  await run(sql`UPDATE host_packages SET upgrade_since = ${at(0)} WHERE upgradable_version_id IS NOT NULL`);
  for (let days = 0; days < 40; days++)
    await run(
      sql`UPDATE hosts SET security_since = ${at(HISTORY_DAYS - days)} WHERE security_count > 0 AND id % 40 = ${days}`,
    );
}

async function analyze(database: Database): Promise<void> {
  const run = (query: ReturnType<typeof sql>) => database.transaction(async (tx) => tx.sql.runSql(query));
  if (database.kind === 'sqlite') await run(sql`ANALYZE`);
  else
    for (const table of [
      'hosts',
      'host_packages',
      'packages',
      'package_versions',
      'images',
      'image_packages',
      'package_events',
      'package_change_hours',
    ])
      await run(sql.raw(`ANALYZE TABLE ${table}`));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

const SAMPLE_HOST = `host-${Math.min(4242, HOSTS)}.eqiad.example.net`;
const SYNTHETIC_PAGES: [label: string, path: string][] = [
  ['dashboard', '/'],
  ['hosts list (default sort)', '/hosts/'],
  ['hosts list, page 100 by name', '/hosts/?sort=name&page=100'],
  ['hosts list, security filter + text', '/hosts/?filter=security&q=host-9'],
  ['host detail (1,500 packages, first page)', `/hosts/${SAMPLE_HOST}`],
  ['host detail, sorted by version', `/hosts/${SAMPLE_HOST}?sort=version`],
  ['kernels list', '/kernels/'],
  ['kernel detail (1/8 of the hosts)', '/kernels/1_1-smp-preempt_dynamic-debian-611-1-2024-02-01'],
  ['packages list (default: by counts)', '/packages/'],
  ['packages list by name', '/packages/?sort=name'],
  ['packages list, security filter', '/packages/?filter=security'],
  ['package detail (on every host)', '/packages/pkg-7'],
  ['package detail, last page', `/packages/pkg-7?page=${Math.ceil((HOSTS + 200) / 50)}`],
  ['source packages list', '/source-packages/'],
  ['source package detail', '/source-packages/src-7'],
  ['images list', '/images/'],
  ['image detail', '/images/docker-registry.example.net/team/service-7:2024.7'],
  ['kubernetes', '/kubernetes/'],
  ['search "host-42"', '/search?q=host-42'],
  ['search "1.42" (versions)', '/search?q=1.42'],
];

/** The same pages on a fleetgen fleet, with its real names. */
async function listFleetgenPages(database: Database, picks: FleetPicks): Promise<[string, string][]> {
  const [kernel] = await database.sql.selectSql<{ osId: number; slug: string }>(
    sql`SELECT os_id AS osId, slug FROM kernels ORDER BY id LIMIT 1`,
  );
  const pkg = (name: string, query = '') => `/packages/${encodeURIComponent(name)}${query}`;
  const hostQuery = picks.sampleHost.slice(0, 4);
  const versionQuery = picks.everyHostVersion.slice(0, 4);
  const lastPage = Math.ceil((HOSTS + 200) / 50);
  return [
    ['dashboard', '/'],
    ['hosts list (default sort)', '/hosts/'],
    ['hosts list, page 100 by name', '/hosts/?sort=name&page=100'],
    [`hosts list, security filter + text "${hostQuery}"`, `/hosts/?filter=security&q=${hostQuery}`],
    ['host detail (1,500 packages, first page)', `/hosts/${picks.sampleHost}`],
    ['host detail, sorted by version', `/hosts/${picks.sampleHost}?sort=version`],
    ['kernels list', '/kernels/'],
    ['kernel detail', `/kernels/${kernel?.osId}_${kernel?.slug}`],
    ['packages list (default: by counts)', '/packages/'],
    ['packages list by name', '/packages/?sort=name'],
    ['packages list, security filter', '/packages/?filter=security'],
    [`package detail (${picks.everyHost}, on every host)`, pkg(picks.everyHost)],
    [`package detail (${picks.everyHost}), page 100`, pkg(picks.everyHost, '?page=100')],
    [`package detail (${picks.everyHost}), last page`, pkg(picks.everyHost, `?page=${lastPage}`)],
    [`package detail (${picks.everyHost}), by name desc`, pkg(picks.everyHost, '?sort=-name&page=2')],
    [
      `package detail (${picks.everyHost}), name desc, last page`,
      pkg(picks.everyHost, `?sort=-name&page=${lastPage}`),
    ],
    [`package detail (${picks.everyHost}), text "${hostQuery}"`, pkg(picks.everyHost, `?q=${hostQuery}`)],
    [`package detail (${picks.mostVersions}, most versions)`, pkg(picks.mostVersions)],
    [`package detail (${picks.mostVersions}), page 50`, pkg(picks.mostVersions, '?page=50')],
    [`package detail (${picks.security}, most security upgrades)`, pkg(picks.security)],
    [`package detail (${picks.security}), security filter`, pkg(picks.security, '?filter=security')],
    ['source packages list', '/source-packages/'],
    [`source package detail (${picks.everyHostSource})`, `/source-packages/${picks.everyHostSource}`],
    ['images list', '/images/'],
    ['image detail', `/images/${picks.image}`],
    ['kubernetes', '/kubernetes/'],
    [`search "${hostQuery}"`, `/search?q=${hostQuery}`],
    [`search "${versionQuery}" (versions)`, `/search?q=${encodeURIComponent(versionQuery)}`],
  ];
}

/**
 * A nightly full report for synthetic host `i`, matching what loadFleet stored, with 1% of its
 * packages moved to their candidate version (the steady state of drive.mjs).
 */
function buildSteadyReport(i: number): Record<string, unknown> {
  const upgradableEvery = Math.round(PER_HOST / 30);
  const installed: { name: string; version: string; source: string }[] = [];
  const upgradable: Record<string, string>[] = [];
  const add = (id: number, slot: number) => {
    const name = `pkg-${id}`;
    const source = `src-${id}`;
    if (Math.random() < 0.01) {
      installed.push({ name, version: `1.${id}-1+deb12u1`, source });
      return;
    }
    installed.push({ name, version: `1.${id}-1`, source });
    if ((i * 31 + slot * 17) % upgradableEvery === 0) {
      const type = (i + slot) % 10 < 7 ? 'security' : '';
      upgradable.push({ name, version_from: `1.${id}-1`, version_to: `1.${id}-1+deb12u1`, source, type });
    }
  };
  for (let p = 1; p <= BASE; p++) add(p, p);
  for (let p = 1; p <= EXTRA; p++) add(BASE + (i % ROLES) * EXTRA + p, p);
  const kernel = 1 + (i % 8);
  return {
    api_version: 'v1',
    hostname: `host-${i}.eqiad.example.net`,
    os: 'Debian 12',
    running_kernel: {
      release: `6.1.0-${kernel}-amd64`,
      version: `#1 SMP PREEMPT_DYNAMIC Debian 6.1.${kernel}-1 (2024-02-01)`,
    },
    update_type: 'full',
    installed,
    uninstalled: [],
    upgradable,
  };
}

/** A steady report body and its host: synthetic, or the next of fleetgen's steady phase. */
type ReportSource = { next(): Promise<{ host: string; body: string } | null>; stop(): void };

function createSyntheticReports(): ReportSource {
  return {
    async next() {
      const i = 1 + Math.floor(Math.random() * HOSTS);
      return { host: `host-${i}.eqiad.example.net`, body: JSON.stringify(buildSteadyReport(i)) };
    },
    stop() {},
  };
}

/**
 * Steady reports for the hosts whose full reports the load kept: fleetgen makes a steady report in
 * ~37 ms of CPU, too slow to feed 50 per second beside the server, so they are made before the
 * timing starts. Each host then alternates between its steady and its full report: every report
 * sent changes ~1% of the host's packages, as a nightly re-report does.
 */
async function createFleetgenReports(fullReports: Map<string, string>): Promise<ReportSource> {
  const stream = streamFleetgen('steady', { hosts: HOSTS, packages: PER_HOST, concurrency: 1 });
  const pairs: { host: string; bodies: [string, string] }[] = [];
  try {
    while (pairs.length < fullReports.size) {
      const body = await stream.next();
      if (!body) break;
      const host = /"hostname":"([^"]+)"/.exec(body)?.[1];
      const full = host ? fullReports.get(host) : undefined;
      if (host && full) pairs.push({ host, bodies: [body, full] });
    }
  } finally {
    stream.stop();
  }
  if (pairs.length === 0) throw new Error('fleetgen made no steady report for the kept hosts');
  let sent = 0;
  return {
    async next() {
      const pair = pairs[sent % pairs.length]!;
      const body = pair.bodies[Math.floor(sent / pairs.length) % 2]!;
      sent++;
      return { host: pair.host, body };
    },
    stop: () => {},
  };
}

/** What is being timed now: reports and event-loop stalls are attributed to it. */
let timing = 'start';

/**
 * The event loop's stalls: a 5 ms timer that fires late by more than 50 ms means something ran
 * for that long without a turn (a synchronous SQLite statement, a render). Kept with what was timed.
 */
function startStallWatch() {
  const stalls: { during: string; ms: number }[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > 55) stalls.push({ during: timing, ms: now - last - 5 });
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return stalls;
    },
  };
}

/** Sends full reports at `rate` per second until stopped; collects their latencies. */
function startReporting(app: ReturnType<typeof createApp>, rate: number, source: ReportSource) {
  const byTiming = new Map<string, number[]>();
  const latencies: number[] = [];
  let failures = 0;
  let inFlight = Promise.resolve();
  const started = performance.now();
  let sent = 0;
  const send = () => {
    const request = source.next().then(async (report) => {
      if (!report) return;
      const start = performance.now();
      const during = timing;
      const response = await app.request(`http://localhost/hosts/${report.host}/update`, {
        method: 'POST',
        body: report.body,
      });
      await response.text();
      if (response.status === 201) {
        const latency = performance.now() - start;
        latencies.push(latency);
        byTiming.set(during, [...(byTiming.get(during) ?? []), latency]);
      } else failures++;
    });
    inFlight = Promise.all([inFlight, request]).then(() => undefined);
    sent++;
  };
  // Timers are late while a page renders; each tick catches up to the asked rate, as agents would
  // not wait for the server to be idle.
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
    for (let k = 0; k < due; k++) send();
  }, 5);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      source.stop();
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      return {
        sent: latencies.length + failures,
        failures,
        perSecond: latencies.length / seconds,
        latencies,
        byTiming,
      };
    },
  };
}

const { database, drop } = await createDatabase();
try {
  await migrate(database);
  const loadStart = performance.now();
  let pages = SYNTHETIC_PAGES;
  let fullReports = new Map<string, string>();
  if (FLEETGEN) {
    // Reports append count deltas; fold them while loading, as `serve` would.
    const loadFold = startPackageCountFold(database, { log: createMemoryLogger() });
    const picks = await loadFleetgenFleet(database, {
      hosts: HOSTS,
      packages: PER_HOST,
      concurrency: Number(args.concurrency),
      keepFullReports: REPORT_RATE > 0 ? KEPT_REPORTS : 0,
    });
    fullReports = picks.fullReports;
    await loadFold.stop();
    await foldAllPackageCounts(database);
    await analyze(database);
    pages = await listFleetgenPages(database, picks);
  } else {
    await loadSyntheticFleet(database);
    if (HISTORY_DAYS > 0) {
      await loadSyntheticHistory(database);
      await analyze(database);
      pages = [
        ...pages,
        ['host timeline', `/history/host/${SAMPLE_HOST}`],
        ['host timeline, page 5', `/history/host/${SAMPLE_HOST}?page=5`],
        ['host timeline, upgrades of one package', `/history/host/${SAMPLE_HOST}?filter=upgraded&q=pkg-110`],
        ['what changed, 24 h', '/changes/'],
        ['what changed, 7 days', '/changes/?range=7d'],
        ['what changed, 30 days', '/changes/?range=30d'],
        ['what changed, 7 days, host pattern', '/changes/?range=7d&hosts=host-1*'],
        ['what changed, 7 days, one package', '/changes/?range=7d&q=pkg-110'],
        ['hosts list, security pending > 7 days', '/hosts/?filter=exposed_7d'],
        ['hosts list, by exposure', '/hosts/?sort=exposed'],
        ['package detail with recent changes', '/packages/pkg-110'],
        ['source package detail with recent changes', '/source-packages/src-110'],
      ];
    }
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const indexStart = performance.now();
  await buildPackageIndex(database);
  const indexMs = performance.now() - indexStart;
  const summaryStart = performance.now();
  await buildHostUpgradeSummary(database);
  const summaryMs = performance.now() - summaryStart;
  const config = parseConfig(
    {
      VERIFY_CLIENTS: false,
      REQUIRE_LOGIN: false,
      DATABASE_URL: 'sqlite::memory:',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
    },
    () => {},
  );
  const log = createMemoryLogger();
  const app = createApp({ config, store: createStore(database), log });
  // As `serve` does: the reports' count deltas are folded about every second.
  const fold = startPackageCountFold(database, { log });
  // The feed is imported before reports start: its time and memory are the import's own.
  const CVES_PER_SOURCE = Number(args['cve-feed']);
  if (CVES_PER_SOURCE > 0) {
    if (FLEETGEN) throw new Error('--cve-feed needs --fleet synthetic');
    const dir = mkdtempSync(join(tmpdir(), 'debmonitor-feed-'));
    const file = join(dir, 'feed.json');
    const bytes = await writeSyntheticFeed(file, { sources: UNIVERSE, perSource: CVES_PER_SOURCE });
    const change = Number(args['cve-change']);
    const changedFile = join(dir, 'feed-changed.json');
    if (change > 0)
      await writeSyntheticFeed(changedFile, { sources: UNIVERSE, perSource: CVES_PER_SOURCE, change });
    // The first import gives every owner its pairs (as after the upgrade); the second is a steady one
    // of the same feed, the third one of a feed where `--cve-change` of the CVEs changed.
    const passes =
      change > 0 ? (['first', 'same-feed', 'changed-feed'] as const) : (['first', 'same-feed'] as const);
    for (const pass of passes) {
      Bun.gc(true);
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const dbCpu = args.kind === 'mysql' ? mariadbCpuMs() : null;
      const from = pass === 'changed-feed' ? changedFile : file;
      const outcome = await importFeed(database, { from, userAgent: 'bench', force: true });
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const dbUsed = dbCpu === null ? null : (mariadbCpuMs() ?? dbCpu) - dbCpu;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      if (outcome.kind !== 'imported') throw new Error('the synthetic feed was not imported');
      const [stored] = await database.sql.selectSql<{ n: number }>(
        sql`SELECT count(*) AS n FROM host_cve_pairs`,
      );
      const f = outcome.findings;
      console.log(
        `CVE feed (${pass} import): ${(bytes / 1e6).toFixed(1)} MB, ${outcome.statusRows.toLocaleString('en')} rows of ${outcome.cveCount.toLocaleString('en')} CVEs kept; ` +
          `import ${seconds.toFixed(1)} s (of which findings ${(f.ms / 1000).toFixed(1)} s: owners' pairs ${(f.pairsMs / 1000).toFixed(1)} s, counts ${(f.countMs / 1000).toFixed(1)} s), ` +
          `${f.owners} owners given pairs, ${f.pairs.toLocaleString('en')} distinct pairs matched, ` +
          `${f.rows.toLocaleString('en')} counts changed (${Number(stored?.n ?? 0).toLocaleString('en')} host pairs), ` +
          `extra peak RSS ${((peak - baseline) / 1e6).toFixed(0)} MB; ` +
          `CPU: bun ${((used.user + used.system) / 1e6).toFixed(1)} s${dbUsed === null ? '' : `, mariadbd ${(dbUsed / 1000).toFixed(1)} s`}` +
          `${'recount' in f ? `; recount ${String(f.recount)}${f.changedCves == null ? '' : ` (${f.changedCves} CVEs changed)`}` : ''}`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
    pages = [
      ...pages,
      ['CVE list', '/cves/'],
      ['CVE list, fix available, page 5', '/cves/?filter=fixable&page=5'],
      ['CVE list by id, text "2030-1001"', '/cves/?sort=cve&q=2030-1001'],
      ['CVE detail (kernel CVE, most hosts)', '/cves/CVE-2030-180002'],
      ['CVE detail (kernel CVE), page 20', '/cves/CVE-2030-180002?page=20'],
      ['CVE detail (a base package CVE, fix available)', '/cves/CVE-2030-100101'],
      ['packages list by fixable CVEs', '/packages/?sort=-cves'],
      ['hosts list by fixable CVEs', '/hosts/?sort=-cves'],
      ['hosts list, urgent CVE filter', '/hosts/?filter=urgent'],
      ['source package detail with CVEs (src-7)', '/source-packages/src-7'],
      ['search "CVE-2030-1001"', '/search?q=CVE-2030-1001'],
      ['dashboard (with the CVE card)', '/'],
    ];
  }
  const rows: string[] = [];
  // The uncached rebuild of /metrics' fleet part, timed before the reports start: a server does it at
  // most every 15 s, so 22 in a row under the reports would measure a backlog the server never has.
  {
    const store = createStore(database);
    const times: number[] = [];
    let bytes = 0;
    for (let run = 0; run < RUNS + 2; run++) {
      const start = performance.now();
      const text = await renderFleetMetrics(store, config, createExpectedHosts(undefined));
      if (run >= 2) times.push(performance.now() - start);
      bytes = text.length;
    }
    times.sort((a, b) => a - b);
    rows.push(
      `| /metrics fleet part rebuilt (uncached) | 200 | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${(bytes / 1024).toFixed(0)} KB |`,
    );
  }
  const reporting =
    REPORT_RATE > 0
      ? startReporting(
          app,
          REPORT_RATE,
          FLEETGEN ? await createFleetgenReports(fullReports) : createSyntheticReports(),
        )
      : undefined;
  const stallWatch = startStallWatch();
  // Issue 17: the hosts list's reboot and liveness filters, and /metrics (served from its cache,
  // rebuilt in the background every 15 s; "rebuilt" times the uncached scan and render).
  pages = [
    ...pages,
    ['hosts list, reboot filter', '/hosts/?filter=reboot'],
    ['hosts list, stale filter', '/hosts/?filter=stale'],
    ['/metrics scrape', '/metrics'],
  ];
  for (const [label, path] of pages) {
    // Overdue timers (the stall watch, reports due) fire first, under the label they belong to.
    await new Promise((resolve) => setImmediate(resolve));
    timing = label;
    const times: number[] = [];
    let status = 0;
    let bytes = 0;
    for (let run = 0; run < RUNS + 2; run++) {
      // Let due timers run (the reports), as a server's next request would arrive as an I/O event.
      if (reporting) await new Promise((resolve) => setImmediate(resolve));
      const start = performance.now();
      const headers: Record<string, string> =
        path === '/metrics' ? { Authorization: `Bearer ${BENCH_METRICS_TOKEN}` } : {};
      const response = await app.request(`http://localhost${path}`, { headers });
      const body = await response.text();
      const elapsed = performance.now() - start;
      status = response.status;
      bytes = body.length;
      if (run >= 2) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    rows.push(
      `| ${label} | ${status} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${(bytes / 1024).toFixed(0)} KB |`,
    );
  }
  await new Promise((resolve) => setImmediate(resolve));
  timing = 'end';
  const reports = await reporting?.stop();
  const stalls = stallWatch.stop();
  await fold.stop();
  const [counted] = await database.sql.selectSql<{ n: number }>(sql`SELECT count(*) AS n FROM host_packages`);
  console.log(
    `${args.kind}, ${args.fleet} fleet: ${HOSTS} hosts × ${PER_HOST} packages = ${Number(counted?.n ?? 0).toLocaleString('en')} host-package rows; loaded in ${loadSeconds.toFixed(0)} s; package index built in ${indexMs.toFixed(0)} ms, dashboard's host upgrade summary in ${summaryMs.toFixed(0)} ms; ${RUNS} runs per page after 2 warm-ups`,
  );
  console.log('');
  console.log('| page | status | p50 ms | p95 ms | HTML |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  if (reports) {
    console.log('');
    console.log(
      `While the pages were timed: ${reports.sent} full reports (1% changed) at ${reports.perSecond.toFixed(1)}/s ` +
        `(asked ${REPORT_RATE}/s), ${reports.failures} failed, latency p50 ${percentile(reports.latencies, 0.5).toFixed(1)} ms, ` +
        `p95 ${percentile(reports.latencies, 0.95).toFixed(1)} ms.`,
    );
    // Where the slow reports were: the latency of the reports that arrived while each page was timed.
    console.log('');
    console.log('| reports sent while timing | reports | p50 ms | p95 ms | max ms |');
    console.log('|---|---|---|---|---|');
    for (const [during, values] of reports.byTiming) {
      values.sort((a, b) => a - b);
      console.log(
        `| ${during} | ${values.length} | ${percentile(values, 0.5).toFixed(1)} | ${percentile(values, 0.95).toFixed(1)} | ${(values.at(-1) ?? 0).toFixed(1)} |`,
      );
    }
  }
  const stallsByTiming = new Map<string, number[]>();
  for (const stall of stalls)
    stallsByTiming.set(stall.during, [...(stallsByTiming.get(stall.during) ?? []), stall.ms]);
  console.log('');
  console.log(`Event-loop stalls over 50 ms: ${stalls.length}`);
  for (const [during, values] of stallsByTiming)
    console.log(`- ${during}: ${values.length}, longest ${Math.max(...values).toFixed(0)} ms`);
} finally {
  await drop();
}
