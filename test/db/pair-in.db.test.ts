/** spelling.pairIn on both dialects: exactly the listed (a, b) pairs, whatever the list's length. */

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sqlNames } from '../../src/db/sql-names.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';

for (const kind of DIALECTS) {
  describe(`pairIn on ${kind}`, () => {
    let t: TestDatabase;
    let feedId = 0;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      const { database } = t;
      const m = sqlNames(database.tables.cveMatchedVersions);
      await database.transaction(async (tx) => {
        const now = new Date();
        const f = sqlNames(database.tables.cveFeeds);
        feedId = await tx.sql.insertReturningId(
          `INSERT INTO ${f.$table} (${f.state}, ${f.source}, ${f.feedTime}, ${f.imported}, ${f.releases}, ${f.statusRows}, ${f.cveCount})
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            'current',
            'test',
            ...[now, now].map((d) => database.spelling.timestampParam(d)),
            'bookworm',
            0,
            0,
          ],
        );
        // Crossed names and versions: a × b holds pairs that are not in the table.
        const rows = [
          ['a', '1'],
          ['a', '2'],
          ['b', '1'],
          ['c', '3'],
          ['d', '4'],
        ].map(([source, version]) => [feedId, 'bookworm', source, version, 0, 0]);
        await tx.sql.run(
          `INSERT INTO ${m.$table} (${m.feedId}, ${m.codename}, ${m.source}, ${m.version}, ${m.fixed}, ${m.notAffected})
           VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
          rows.flat(),
        );
      });
    });
    afterAll(async () => {
      await t?.drop();
    });

    const select = async (pairs: (readonly [string, string])[]) => {
      const { database } = t;
      const m = sqlNames(database.tables.cveMatchedVersions);
      const where = database.spelling.pairIn(m.source, m.version, pairs);
      const rows = await database.sql.select<{ source: string; version: string }>(
        `SELECT ${m.source} AS source, ${m.version} AS version FROM ${m.$table}
         WHERE ${m.feedId} = ? AND ${m.codename} = ? AND ${where.text}`,
        [feedId, 'bookworm', ...where.params],
      );
      return rows.map((row) => `${row.source}=${row.version}`).sort();
    };

    test('selects the listed pairs only, not the other combinations of their values', async () => {
      expect(await select([['a', '1']])).toEqual(['a=1']);
      // Three pairs (SQLite pads the list to four with the last one).
      expect(
        await select([
          ['a', '2'],
          ['b', '1'],
          ['c', '3'],
        ]),
      ).toEqual(['a=2', 'b=1', 'c=3']);
      // a=1 and b=2 … : a and b with 1 and 2 each, but b=2 is no row and a=2 is not asked for.
      expect(
        await select([
          ['a', '1'],
          ['b', '2'],
          ['x', '4'],
          ['d', '4'],
          ['c', '9'],
        ]),
      ).toEqual(['a=1', 'd=4']);
    });

    test('an empty list matches nothing', async () => {
      expect(await select([])).toEqual([]);
    });
  });
}
