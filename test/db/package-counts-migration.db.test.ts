/**
 * Migration 0001_package_counts creates the packages' count tables and fills the base counts from
 * the rows already recorded, with the statement `recount` runs; on SQLite, 0002 folds the deltas an
 * older version left. The reference fixture's counts are those of test/helpers/reference-fixture.ts.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { recountPackageCounts } from '../../src/store/counts/package-count-fold.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import {
  countPendingDeltas,
  readCountsByName,
  readFoldedCounts,
  recountByName,
  unfoldCounts,
} from '../helpers/package-counts.ts';
import { createRandom, randomReport } from '../helpers/random-reports.ts';
import { loadReferenceFixture, REFERENCE_PACKAGE_COUNTS } from '../helpers/reference-fixture.ts';

const EXPECTED = Object.fromEntries(REFERENCE_PACKAGE_COUNTS.map(([name, ...counts]) => [name, counts]));

for (const kind of DIALECTS) {
  describe(`package counts migration on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await createTestDatabase(kind);
      await loadReferenceFixture(t.database);
    });
    afterEach(async () => t?.drop());

    test("the reference fixture's counts are item 77's and equal a recount", async () => {
      expect(EXPECTED).toEqual({
        package1: [3, 2, 0],
        package2: [3, 3, 3],
        package3: [3, 0, 0],
        'package3-dev': [3, 0, 0],
        nodejs: [2, 1, 1],
        'gcc-9': [1, 0, 0],
      });
      expect(await readCountsByName(t.database)).toEqual(EXPECTED);
      expect(await recountByName(t.database)).toEqual(EXPECTED);
    });

    test('applied to a database with rows, it backfills the counts', async () => {
      const { database } = t;
      // Back to the state before 0001: its tables gone, the migration not applied.
      await database.transaction(async (tx) => {
        for (const table of ['package_count_deltas', 'package_counts'])
          await tx.sql.runSql(sql.raw(`DROP TABLE ${table}`));
        await tx.sql.runSql(sql`DELETE FROM debmonitor_migrations WHERE tag = '0001_package_counts'`);
      });
      expect(await migrate(database)).toEqual(['0001_package_counts']);
      expect(await readFoldedCounts(database)).toEqual(EXPECTED);
      expect(await countPendingDeltas(database)).toBe(0);
    });

    test("migration 0001's backfill and the recount command count alike", async () => {
      const { database } = t;
      const random = createRandom(61);
      for (let round = 0; round < 6; round++)
        await applyHostReport(t.store, randomReport(random, `recount${round % 3}.example.com`));
      const [backfill] = (listMigrations(database).find((m) => m.tag === '0001_package_counts')?.sql ?? '')
        .split('--> statement-breakpoint')
        .filter((statement) => statement.includes('INSERT INTO'));
      expect(backfill).toBeDefined();
      await database.transaction(async (tx) => {
        await tx.sql.run('DELETE FROM package_count_deltas');
        await tx.sql.run('DELETE FROM package_counts');
        await tx.sql.run(backfill as string);
      });
      const backfilled = await readFoldedCounts(database);
      expect(backfilled).toEqual(await recountByName(database));
      expect(await recountPackageCounts(database)).toBeGreaterThan(0);
      expect(await readFoldedCounts(database)).toEqual(backfilled);
    });

    if (kind === 'sqlite')
      test('migration 0002 folds the deltas an older version left, once', async () => {
        const { database } = t;
        await unfoldCounts(database, true);
        expect(await countPendingDeltas(database)).toBeGreaterThan(0);
        await database.transaction((tx) =>
          tx.sql.run("DELETE FROM debmonitor_migrations WHERE tag = '0002_fold_count_leftovers'"),
        );
        expect(await migrate(database)).toEqual(['0002_fold_count_leftovers']);
        expect(await countPendingDeltas(database)).toBe(0);
        expect(await readFoldedCounts(database)).toEqual(EXPECTED);
        expect(await readCountsByName(database)).toEqual(EXPECTED);
      });
  });
}
