/**
 * Where a very large host report's time goes, in process: decoding and parsing the JSON body,
 * validating it, and applying it (the store's transaction), for a new host (cold: every package,
 * source and version is new), the same report again (nothing changes), and a second host with the
 * same packages (the catalog exists). Run under `bun --cpu-prof-md` for the inside of the apply.
 *
 *   bun bench/large-report-phases.ts [--kind sqlite|mysql] [--packages 50000] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { parseHostReport } from '../src/protocol/parse-host-report.ts';
import { countListedPackages } from '../src/protocol/report.ts';
import { applyHostReport } from '../src/store/ingest/host-reports.ts';
import { createTestDatabase } from '../test/helpers/databases.ts';
import { buildBigReport } from './big-report.ts';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'sqlite' },
    packages: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
  },
});
const PACKAGES = Number(args.packages);

function time<T>(steps: Record<string, number>, name: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  steps[name] = performance.now() - started;
  return result;
}

async function timeAsync<T>(steps: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  steps[name] = performance.now() - started;
  return result;
}

const rows: Record<string, number>[] = [];
for (let run = 0; run < Number(args.runs); run++) {
  const t = await createTestDatabase(args.kind === 'mysql' ? 'mysql' : 'sqlite');
  try {
    const steps: Record<string, number> = {};
    for (const [label, host] of [
      ['new host', 'big1.example.org'],
      ['same report again', 'big1.example.org'],
      ['second host, same packages', 'big2.example.org'],
    ] as const) {
      const bytes = new TextEncoder().encode(buildBigReport(host, PACKAGES));
      const value = time(steps, `${label}: decode + JSON.parse`, () =>
        JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)),
      );
      time(steps, `${label}: count items`, () => countListedPackages(value));
      const parsed = time(steps, `${label}: validate`, () => parseHostReport(value));
      if (!parsed.success) throw new Error(parsed.message);
      await timeAsync(steps, `${label}: apply (transaction)`, () =>
        applyHostReport(t.store, parsed.output, { maxPackages: PACKAGES }),
      );
    }
    rows.push(steps);
  } finally {
    await t.drop();
  }
}
console.log(`\n${args.kind}, ${PACKAGES} packages, ${rows.length} runs (ms)\n`);
console.log('| step | runs |');
console.log('| --- | --- |');
for (const step of Object.keys(rows[0] ?? {}))
  console.log(`| ${step} | ${rows.map((steps) => (steps[step] ?? 0).toFixed(0)).join(' · ')} |`);
