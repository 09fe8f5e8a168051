/**
 * Migration 0001_package_counts creates the packages' count tables and fills the base counts from
 * the rows already recorded; the reference fixture's counts are those of checklist §8.7 item 77.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import {
  countPendingDeltas,
  readCountsByName,
  readFoldedCounts,
  recountByName,
} from '../helpers/package-counts.ts';
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
  });
}
