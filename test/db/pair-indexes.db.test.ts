/**
 * The pairs' version index that the first import drops while it gives every owner its pairs
 * (src/db/pair-indexes.ts; docs/cve.md, "What an import costs"): a crash in that window leaves it
 * missing, and start-up (migrate()) builds it again as the schema declares it.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { migrate } from '../../src/db/migrate.ts';
import { dropVersionIndex, ensureVersionIndex, hasVersionIndex } from '../../src/db/pair-indexes.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';

for (const kind of DIALECTS) {
  describe(`the pairs' version index on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await createTestDatabase(kind);
    }, 30_000);
    afterEach(async () => t?.drop());

    /** The index's definition as the database holds it: SQLite's statement, MySQL's columns. */
    async function definition(name: string): Promise<string[]> {
      const rows =
        kind === 'sqlite'
          ? await t.database.sql.select<{ d: string }>(
              `SELECT sql AS d FROM sqlite_master WHERE type = 'index' AND name = ?`,
              [name],
            )
          : await t.database.sql.select<{ d: string }>(
              `SELECT CONCAT(table_name, ' ', seq_in_index, ' ', column_name, ' ', non_unique) AS d
               FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = ?
               ORDER BY seq_in_index`,
              [name],
            );
      return rows.map((row) => row.d);
    }

    test('migrate() builds a missing version index again, as the schema declares it', async () => {
      const declared = {
        host: await definition('host_cve_pairs_version_idx'),
        image: await definition('image_cve_pairs_version_idx'),
      };
      expect(declared.host.length).toBeGreaterThan(0);
      expect(declared.image.length).toBeGreaterThan(0);
      await dropVersionIndex(t.database, 'host');
      await dropVersionIndex(t.database, 'image');
      expect([await hasVersionIndex(t.database, 'host'), await hasVersionIndex(t.database, 'image')]).toEqual(
        [false, false],
      );
      expect(await definition('host_cve_pairs_version_idx')).toEqual([]);
      await migrate(t.database);
      expect(await definition('host_cve_pairs_version_idx')).toEqual(declared.host);
      expect(await definition('image_cve_pairs_version_idx')).toEqual(declared.image);
      // Present: nothing to build.
      expect(await ensureVersionIndex(t.database, 'host')).toBe(false);
    });
  });
}
