/**
 * The packages' counts (hosts plus images): every write path adds to the base in place on SQLite
 * (one writer at a time) and appends deltas on MariaDB, where they are the folded base plus the
 * pending deltas. They equal a recount after any mix of reports, deletions, OS changes, GC and
 * folds; on MariaDB a fold is idempotent, loses nothing when it races another fold or concurrent
 * reports, and the packages list shows the same counts before and after it. SQLite runs no fold
 * (what an older version left is folded by migration 0002, test/db/package-counts-migration.db.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../src/db/open-database.ts';
import { createMemoryLogger } from '../../src/lib/logger.ts';
import {
  foldAllPackageCounts,
  foldInTransaction,
  foldPackageCounts,
  recountPackageCounts,
  startPackageCountFold,
} from '../../src/store/counts/package-count-fold.ts';
import { collectGarbage } from '../../src/store/gc.ts';
import { applyHostReport, deleteHost } from '../../src/store/ingest/host-reports.ts';
import { applyImageReport, deleteImage } from '../../src/store/ingest/image-reports.ts';
import { listPackages, type PackageSort } from '../../src/store/read/packages.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import {
  countPendingDeltas,
  type PackageCountMap,
  readCountsByName,
  readFoldedCounts,
  recountByName,
} from '../helpers/package-counts.ts';
import { createRandom, imageReportOf, type Random, randomReport } from '../helpers/random-reports.ts';

const OLD = new Date('2020-01-01T00:00:00Z');

/** Applies one random write (a report, a deletion or GC) and returns what it was. */
async function randomWrite(store: Store, random: Random, owners: string[]): Promise<string> {
  const name = owners[random.int(owners.length)] as string;
  const roll = random.int(20);
  if (roll === 0) {
    await deleteHost(store, name);
    return 'delete host';
  }
  if (roll === 1) {
    await deleteImage(store, `registry/${name}`);
    return 'delete image';
  }
  if (roll === 2) {
    // Reports dated long ago make their owners stale, so that GC deletes them.
    await applyHostReport(
      store,
      { ...randomReport(random, `old-${name}`), update_type: 'full' },
      { now: OLD },
    );
    await applyImageReport(store, imageReportOf(randomReport(random, 'x'), `old/${name}`), { now: OLD });
    await collectGarbage(store, { hostMaxAgeDays: 30, imageMaxAgeDays: 30 });
    return 'gc';
  }
  const report = randomReport(random, name);
  // Now and then the report names another OS: the owner's rows move to it.
  report.os = random.chance(0.15) ? 'Debian 13' : 'Debian 12';
  if (random.chance(0.5)) await applyHostReport(store, report);
  else await applyImageReport(store, imageReportOf(report, `registry/${name}`));
  return `report ${report.update_type}`;
}

/** The packages list's rows as `name → counts`, one page of every package. */
async function listCounts(store: Store, sort: PackageSort): Promise<PackageCountMap> {
  store.snapshots.drop();
  const page = await listPackages(store, {
    offset: 0,
    limit: 1000,
    sort,
    descending: false,
    q: '',
    filter: 'all',
  });
  return Object.fromEntries(page.rows.map((row) => [row.name, [row.installed, row.upgrades, row.security]]));
}

for (const kind of DIALECTS) {
  describe(`package counts on ${kind}`, () => {
    let t: TestDatabase;
    /** Reports append deltas (MariaDB) rather than add to the base counts in place (SQLite). */
    const appendsDeltas = kind === 'mysql';
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(async () => t?.drop());

    test('reports append deltas on MariaDB, with a fold loop; they add to the base in place on SQLite, with none', async () => {
      expect(t.database.capabilities.serialWriters).toBe(!appendsDeltas);
      await applyHostReport(t.store, randomReport(createRandom(2), 'mode.example.com'));
      expect((await countPendingDeltas(t.database)) > 0).toBe(appendsDeltas);
      expect(await readCountsByName(t.database)).toEqual(await recountByName(t.database));
      const fold = t.store.counts.startFolding({ log: createMemoryLogger(), intervalMs: 60_000 });
      expect(fold !== undefined).toBe(appendsDeltas);
      await fold?.stop();
      if (appendsDeltas) await foldAllPackageCounts(t.database);
      expect(await readFoldedCounts(t.database)).toEqual(await recountByName(t.database));
    });

    test('after random reports, deletions, OS changes, GC and partial folds, counts equal a recount', async () => {
      const random = createRandom(kind === 'sqlite' ? 5 : 13);
      const owners = ['a.example.com', 'b.example.com', 'c.example.com'];
      const steps = new Map<string, number>();
      let folded = 0;
      for (let round = 0; round < 100; round++) {
        let step: string;
        if (appendsDeltas && random.chance(0.15)) {
          // A fold of a few rows at a time: the base and the pending deltas split anywhere.
          folded += (await foldPackageCounts(t.database, 1 + random.int(40))).folded;
          step = 'fold';
        } else step = await randomWrite(t.store, random, owners);
        steps.set(step, (steps.get(step) ?? 0) + 1);
        expect({ round, step, counts: await readCountsByName(t.database) }).toEqual({
          round,
          step,
          counts: await recountByName(t.database),
        });
      }
      const kinds = ['delete host', 'delete image', 'gc', 'report full', 'report partial'];
      for (const step of appendsDeltas ? [...kinds, 'fold'] : kinds)
        expect({ step, seen: (steps.get(step) ?? 0) > 0 }).toEqual({ step, seen: true });
      expect(folded > 0).toBe(appendsDeltas);
      expect((await countPendingDeltas(t.database)) > 0).toBe(appendsDeltas);

      if (appendsDeltas) await foldAllPackageCounts(t.database);
      expect(await countPendingDeltas(t.database)).toBe(0);
      const recount = await recountByName(t.database);
      expect(await readFoldedCounts(t.database)).toEqual(recount);
      const counts = Object.values(recount);
      expect(
        counts.some(([installed, upgrades, security]) => installed > 0 && upgrades > 0 && security > 0),
      ).toBe(true);
    });

    // Folds run only where reports append deltas.
    if (appendsDeltas) {
      test('a fold with nothing pending opens no write transaction', async () => {
        await foldAllPackageCounts(t.database);
        let transactions = 0;
        const counting: Database = {
          ...t.database,
          transaction: (work, options) => {
            transactions++;
            return t.database.transaction(work, options);
          },
        };
        expect(await foldPackageCounts(counting)).toEqual({ folded: 0, more: false, conflict: false });
        expect(transactions).toBe(0);
        await applyHostReport(t.store, randomReport(createRandom(4), 'pending.example.com'));
        expect((await foldPackageCounts(counting)).folded).toBeGreaterThan(0);
        expect(transactions).toBe(1);
      });

      test('a fold is idempotent: a second one finds nothing and changes nothing', async () => {
        await applyHostReport(t.store, randomReport(createRandom(3), 'idem.example.com'));
        expect(await countPendingDeltas(t.database)).toBeGreaterThan(0);
        const first = await foldPackageCounts(t.database);
        expect(first.folded).toBeGreaterThan(0);
        const after = await readFoldedCounts(t.database);
        expect(await foldPackageCounts(t.database)).toEqual({ folded: 0, more: false, conflict: false });
        expect(await readFoldedCounts(t.database)).toEqual(after);
        expect(after).toEqual(await recountByName(t.database));
      });

      test('the packages list shows the exact counts before and after a fold', async () => {
        const random = createRandom(23);
        for (let round = 0; round < 12; round++)
          await randomWrite(t.store, random, ['list1.example.com', 'list2.example.com']);
        expect(await countPendingDeltas(t.database)).toBeGreaterThan(0);
        const recount = await recountByName(t.database);
        // By name: the page comes from the packages table; by default: from the package index.
        for (const sort of ['name', 'default'] as const)
          expect({ sort, counts: await listCounts(t.store, sort) }).toEqual({ sort, counts: recount });
        await foldAllPackageCounts(t.database);
        expect(await countPendingDeltas(t.database)).toBe(0);
        for (const sort of ['name', 'default'] as const)
          expect({ sort, counts: await listCounts(t.store, sort) }).toEqual({ sort, counts: recount });
      });

      test('reports interleaved with folds lose nothing (on MariaDB the folds run on another handle, as another instance)', async () => {
        const other = await openDatabase(t.url);
        try {
          // On SQLite two handles in one process would wait on each other's write lock synchronously;
          // there the folds run on the reports' handle (one server process), interleaved by its queue.
          const folder = kind === 'mysql' ? other : t.database;
          let running = true;
          let foldedWhileReporting = 0;
          const folding = (async () => {
            while (running) {
              foldedWhileReporting += (await foldPackageCounts(folder, 37)).folded;
              await Bun.sleep(1);
            }
          })();
          const random = createRandom(37);
          const hosts = Array.from({ length: 4 }, (_, i) => `race${i}.example.com`);
          for (let round = 0; round < 8; round++) {
            await Promise.all(
              hosts.map((host) =>
                random.chance(0.5)
                  ? applyHostReport(t.store, randomReport(random, host))
                  : applyImageReport(t.store, imageReportOf(randomReport(random, host), `registry/${host}`)),
              ),
            );
            // SQLite answers in microtasks: let the folding loop's timer run, as between two requests.
            await Bun.sleep(2);
          }
          running = false;
          await folding;
          expect(foldedWhileReporting).toBeGreaterThan(0);
          expect(await readCountsByName(t.database)).toEqual(await recountByName(t.database));
          await foldAllPackageCounts(t.database);
          expect(await countPendingDeltas(t.database)).toBe(0);
          expect(await readFoldedCounts(t.database)).toEqual(await recountByName(t.database));
        } finally {
          await other.close();
        }
      });

      test('the background fold folds what reports append, on its own timer', async () => {
        const log = createMemoryLogger();
        // The report first: with the fold already running, a 5 ms timer could fold before the check.
        await applyHostReport(t.store, randomReport(createRandom(41), 'timer.example.com'));
        expect(await countPendingDeltas(t.database)).toBeGreaterThan(0);
        const fold = startPackageCountFold(t.database, { intervalMs: 5, log });
        try {
          for (let wait = 0; wait < 1000 && (await countPendingDeltas(t.database)) > 0; wait++)
            await Bun.sleep(10);
          expect(await countPendingDeltas(t.database)).toBe(0);
        } finally {
          await fold.stop();
        }
        expect(log.lines).toEqual([]);
      });

      test('stop cancels the next fold or waits for the one running, and nothing is scheduled after it', async () => {
        const log = createMemoryLogger();
        /** Every fold the loop asked for, on a clock driven by hand. */
        const timers: { run: () => void; delayMs: number; state: 'pending' | 'ran' | 'cancelled' }[] = [];
        let onSchedule: () => void = () => {};
        const schedule = (callback: () => void, delayMs: number) => {
          const timer = { run: callback, delayMs, state: 'pending' as 'pending' | 'ran' | 'cancelled' };
          timers.push(timer);
          onSchedule();
          return {
            cancel: () => {
              if (timer.state === 'pending') timer.state = 'cancelled';
            },
          };
        };
        const pendingTimers = () => timers.filter((timer) => timer.state === 'pending');
        /** Runs the one pending timer's fold; `settle` waits until the loop asks for its next one. */
        const fire = () => {
          const [timer, ...others] = pendingTimers();
          expect(others).toEqual([]);
          const scheduled = new Promise<void>((resolve) => (onSchedule = resolve));
          (timer as (typeof timers)[number]).state = 'ran';
          (timer as (typeof timers)[number]).run();
          return { settle: () => scheduled };
        };

        // Stopped while it waits: the timer is cancelled.
        const idle = startPackageCountFold(t.database, { intervalMs: 1000, limit: 5, log, schedule });
        expect(pendingTimers().map((timer) => timer.delayMs)).toEqual([1000]);
        await idle.stop();
        expect(pendingTimers()).toEqual([]);
        expect(timers.map((timer) => timer.state)).toEqual(['cancelled']);

        // Running: a full batch asks for the next fold at once, the last one after intervalMs.
        timers.length = 0;
        const transactions = { started: 0, open: 0 };
        const watched: Database = {
          ...t.database,
          transaction: async (work, options) => {
            transactions.started++;
            transactions.open++;
            try {
              return await t.database.transaction(work, options);
            } finally {
              transactions.open--;
            }
          },
        };
        const fold = startPackageCountFold(watched, { intervalMs: 1000, limit: 5, log, schedule });
        await applyHostReport(t.store, randomReport(createRandom(51), 'stop1.example.com'));
        expect(await countPendingDeltas(t.database)).toBeGreaterThan(5);
        for (let round = 0; round < 1000 && (await countPendingDeltas(t.database)) > 0; round++)
          await fire().settle();
        expect(await countPendingDeltas(t.database)).toBe(0);
        await fire().settle();
        const delays = timers.map((timer) => timer.delayMs);
        expect(delays[0]).toBe(1000);
        expect(delays.slice(1, -1)).toContain(0);
        expect(delays.at(-1)).toBe(1000);

        // Stopped during a fold: stop waits for its transaction to end, and it schedules nothing more.
        await applyHostReport(t.store, randomReport(createRandom(53), 'stop2.example.com'));
        const asked = timers.length;
        const before = transactions.started;
        fire();
        await fold.stop();
        expect(transactions).toEqual({ started: before + 1, open: 0 });
        expect(timers.length).toBe(asked);
        expect(pendingTimers()).toEqual([]);

        // With nothing left to run, what reports append stays pending.
        await applyHostReport(t.store, {
          ...randomReport(createRandom(57), 'stop3.example.com'),
          update_type: 'full',
        });
        expect(await countPendingDeltas(t.database)).toBeGreaterThan(0);
        expect(pendingTimers()).toEqual([]);
        expect(log.lines).toEqual([]);
        expect(await readCountsByName(t.database)).toEqual(await recountByName(t.database));
      });
    }

    test('a recount replaces the counts and drops the pending deltas', async () => {
      await foldAllPackageCounts(t.database);
      await t.database.transaction((tx) =>
        tx.sql.runSql(sql`UPDATE package_counts SET installed = installed + 5`),
      );
      expect(await readCountsByName(t.database)).not.toEqual(await recountByName(t.database));
      await recountPackageCounts(t.database);
      expect(await countPendingDeltas(t.database)).toBe(0);
      expect(await readFoldedCounts(t.database)).toEqual(await recountByName(t.database));
    });
  });
}

describe('two folds racing on one MariaDB database', () => {
  let t: TestDatabase;
  let other: Database;
  beforeAll(async () => {
    t = await createTestDatabase('mysql');
    other = await openDatabase(t.url);
  });
  afterAll(async () => {
    await other?.close();
    await t?.drop();
  });

  /** True once a fold's DELETE of this database waits for a row lock. */
  async function foldIsWaiting(): Promise<boolean> {
    const [row] = await t.database.sql.selectSql<{ n: number }>(
      sql`SELECT count(*) AS n FROM information_schema.innodb_trx x
          JOIN information_schema.processlist p ON p.id = x.trx_mysql_thread_id
          WHERE x.trx_state = 'LOCK WAIT' AND p.db = DATABASE() AND x.trx_query LIKE 'DELETE FROM package_count_deltas%'`,
    );
    return Number(row?.n) > 0;
  }

  test('a fold that loses the race rolls back, and every delta is counted once', async () => {
    const random = createRandom(17);
    for (let round = 0; round < 6; round++)
      await applyHostReport(t.store, randomReport(random, `fold${round % 3}.example.com`));
    const pending = await countPendingDeltas(t.database);
    expect(pending).toBeGreaterThan(0);

    // Fold B holds its transaction open after deleting the rows; fold A reads the same rows (B has
    // not committed) and waits on B's row locks; B commits; A deletes nothing and rolls back.
    let loser: Promise<Awaited<ReturnType<typeof foldPackageCounts>>> | undefined;
    const won = await other.transaction(
      async (tx) => {
        const folded = await foldInTransaction(tx, other, 1000);
        loser = foldPackageCounts(t.database, 1000);
        // InnoDB refreshes its transaction tables when read more than 0.1 s after the last refresh.
        for (let wait = 0; wait < 50 && !(await foldIsWaiting()); wait++) await Bun.sleep(150);
        expect(await foldIsWaiting()).toBe(true);
        return folded;
      },
      { isolation: 'read committed' },
    );
    expect(won).toBe(Math.min(pending, 1000));
    expect(await loser).toEqual({ folded: 0, more: true, conflict: true });
    expect(await readCountsByName(t.database)).toEqual(await recountByName(t.database));

    await foldAllPackageCounts(t.database);
    expect(await countPendingDeltas(t.database)).toBe(0);
    expect(await readFoldedCounts(t.database)).toEqual(await recountByName(t.database));
  });

  test('folds started together on two handles fold every delta exactly once', async () => {
    const random = createRandom(19);
    for (let round = 0; round < 9; round++)
      await applyHostReport(t.store, randomReport(random, `pair${round % 3}.example.com`));
    const pending = await countPendingDeltas(t.database);
    expect(pending).toBeGreaterThan(10);
    let folded = 0;
    for (;;) {
      const results = await Promise.all([foldPackageCounts(t.database, 7), foldPackageCounts(other, 7)]);
      folded += results[0].folded + results[1].folded;
      if (results.every((r) => !r.more)) break;
    }
    expect(folded).toBe(pending);
    expect(await countPendingDeltas(t.database)).toBe(0);
    expect(await readFoldedCounts(t.database)).toEqual(await recountByName(t.database));
  });
});
