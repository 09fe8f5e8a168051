/**
 * Times the first import's findings step alone (docs/cve.md, "What an import costs", steps 4–5) on a
 * database kept by `bench/pages.ts --keep` after an import: every owner's pairs are deleted, then
 * recomputeFindings gives them again and counts. SQLite: the kept file is copied first (--copy DIR),
 * so that runs start alike.
 *
 *   bun bench/pair-backfill.ts --kind sqlite --db /tmp/x.sqlite [--copy /tmp]
 *   bun bench/pair-backfill.ts --kind mysql --db debmonitor_kept
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/open-database.ts';
import { recomputeFindings } from '../src/store/cve/fleet-findings.ts';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'sqlite' },
    db: { type: 'string' },
    copy: { type: 'string' },
    mysql: { type: 'string', default: 'mysql://root@127.0.0.1:3306' },
  },
});
if (!args.db) throw new Error('--db PATH|NAME');
let path = args.db;
if (args.kind === 'sqlite' && args.copy) {
  path = join(args.copy, `pair-backfill-${process.pid}.sqlite`);
  copyFileSync(args.db, path);
}
const database = await openDatabase(args.kind === 'sqlite' ? `sqlite:${path}` : `${args.mysql}/${path}`);
try {
  const cleared = performance.now();
  for (const table of ['host_cve_pairs', 'image_cve_pairs'])
    await database.transaction((tx) =>
      tx.sql.run(args.kind === 'sqlite' ? `DELETE FROM ${table}` : `TRUNCATE TABLE ${table}`),
    );
  console.log(`pairs deleted in ${((performance.now() - cleared) / 1000).toFixed(1)} s`);
  // Each transaction's time, commit included: how long it held SQLite's writer (or its locks).
  const held: number[] = [];
  const transaction = database.transaction.bind(database);
  (database as { transaction: typeof transaction }).transaction = async (work, options) => {
    const started = performance.now();
    try {
      return await transaction(work, options);
    } finally {
      held.push(performance.now() - started);
    }
  };
  const cpu = process.cpuUsage();
  const outcome = await recomputeFindings(database);
  const used = process.cpuUsage(cpu);
  console.log(
    `findings: ${(outcome.ms / 1000).toFixed(1)} s (owners' pairs ${(outcome.pairsMs / 1000).toFixed(1)} s, ` +
      `counts ${(outcome.countMs / 1000).toFixed(1)} s), ${outcome.owners} owners, ${outcome.batches} batches, ` +
      `bun CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`,
  );
  const sorted = [...held].sort((a, b) => b - a);
  console.log(
    `transactions: ${held.length}, longest ${sorted
      .slice(0, 4)
      .map((ms) => (ms / 1000).toFixed(2))
      .join(', ')} s, median ${((sorted[Math.floor(sorted.length / 2)] ?? 0) / 1000).toFixed(2)} s`,
  );
  const [row] = await database.sql.select<{ n: number }>('SELECT COUNT(*) AS n FROM host_cve_pairs');
  console.log(`host pairs: ${Number(row?.n)}`);
} finally {
  await database.close();
  if (path !== args.db)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
