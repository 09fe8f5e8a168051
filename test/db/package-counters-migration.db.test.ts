/**
 * Migration 0001_package_counters adds the packages' counters and fills them from the rows already
 * recorded; the reference fixture's counters are those of checklist §8.7 item 77.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { readPackageCounters, recountPackageCounters } from '../helpers/package-counters.ts';
import { loadReferenceFixture, REFERENCE_PACKAGE_COUNTS } from '../helpers/reference-fixture.ts';

const EXPECTED = Object.fromEntries(REFERENCE_PACKAGE_COUNTS.map(([name, ...counts]) => [name, counts]));

for (const kind of DIALECTS) {
  describe(`package counters migration on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await createTestDatabase(kind);
      await loadReferenceFixture(t.database);
    });
    afterEach(async () => t?.drop());

    test("the reference fixture's counters are item 77's and equal a recount", async () => {
      expect(EXPECTED).toEqual({
        package1: [3, 2, 0],
        package2: [3, 3, 3],
        package3: [3, 0, 0],
        'package3-dev': [3, 0, 0],
        nodejs: [2, 1, 1],
        'gcc-9': [1, 0, 0],
      });
      expect(await readPackageCounters(t.database)).toEqual(EXPECTED);
      expect(await recountPackageCounters(t.database)).toEqual(EXPECTED);
    });

    test('applied to a database with rows, it backfills the counters', async () => {
      const { database } = t;
      // Back to the state before 0001: the columns and their index gone, the migration not applied.
      const undo =
        kind === 'sqlite'
          ? [
              'DROP INDEX packages_counts_idx',
              'ALTER TABLE packages DROP COLUMN installed_count',
              'ALTER TABLE packages DROP COLUMN upgrade_count',
              'ALTER TABLE packages DROP COLUMN security_count',
            ]
          : [
              'ALTER TABLE packages DROP INDEX packages_counts_idx, DROP COLUMN installed_count, DROP COLUMN upgrade_count, DROP COLUMN security_count',
            ];
      await database.transaction(async (tx) => {
        for (const statement of undo) await database.dialect.execute(tx, sql.raw(statement));
        await database.dialect.execute(
          tx,
          sql`DELETE FROM debmonitor_migrations WHERE tag = '0001_package_counters'`,
        );
      });
      expect(await migrate(database)).toEqual(['0001_package_counters']);
      expect(await readPackageCounters(database)).toEqual(EXPECTED);
    });
  });
}
