/**
 * Rollup row contention (docs/history.md, "What changed by the hour"): from a fleet written by
 * `fleetgen.mjs --out DIR`, writes a fleet for bench/ingest-in-process.ts with three phases of one
 * report per host: `full` (the fleet's full reports), `rollout` (every host upgrades the same package
 * from the same version: one `package_change_hours` row for all of them) and `spread` (each host
 * upgrades a different package: a row each). Run each phase after `full` with reports in flight at
 * once, on MariaDB, and compare:
 *
 *   bun bench/rollout-fleet.ts --fleet /tmp/fleet --out /tmp/fleet-rollout
 *   bun bench/ingest-in-process.ts --fleet /tmp/fleet-rollout --dialect mysql --phases full,rollout --concurrency 8
 *   bun bench/ingest-in-process.ts --fleet /tmp/fleet-rollout --dialect mysql --phases full,spread --concurrency 8
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    fleet: { type: 'string', default: '/tmp/fleet' },
    out: { type: 'string', default: '/tmp/fleet-rollout' },
  },
});
const source = join(String(values.fleet), 'full');
const out = String(values.out);

interface Item {
  name: string;
  version: string;
  source_version?: string;
}
interface Report {
  installed: Item[];
}

rmSync(out, { recursive: true, force: true });
for (const phase of ['full', 'rollout', 'spread']) mkdirSync(join(out, phase), { recursive: true });
const files = readdirSync(source).sort();
const reports = files.map((file) => JSON.parse(readFileSync(join(source, file), 'utf8')) as Report);
// Packages every host has at the same version: the same upgrade is then the same rollup row.
const hosts = new Map<string, number>();
for (const report of reports)
  for (const item of report.installed) {
    const key = `${item.name}\u0000${item.version}`;
    hosts.set(key, (hosts.get(key) ?? 0) + 1);
  }
const common = [...hosts]
  .filter(([, count]) => count === reports.length)
  .map(([key]) => key.split('\u0000')[0] as string);
if (common.length < 2) throw new Error('the fleet has too few packages at one version on every host');
const upgrade = (report: Report, name: string): Report => ({
  ...report,
  installed: report.installed.map((item) =>
    item.name === name
      ? {
          ...item,
          version: `${item.version}+rollout1`,
          ...(item.source_version ? { source_version: `${item.source_version}+rollout1` } : {}),
        }
      : item,
  ),
});
files.forEach((file, n) => {
  const report = reports[n] as Report;
  writeFileSync(join(out, 'full', file), JSON.stringify(report));
  writeFileSync(join(out, 'rollout', file), JSON.stringify(upgrade(report, common[0] as string)));
  writeFileSync(
    join(out, 'spread', file),
    JSON.stringify(upgrade(report, common[1 + (n % (common.length - 1))] as string)),
  );
});
console.log(
  `${files.length} hosts; rollout upgrades ${common[0]} on every host; spread, one of ${common.length - 1} packages each`,
);
