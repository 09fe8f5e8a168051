/**
 * useFreshTestApp: every test starts from what a fresh database with the fixture holds, ids
 * included, on both dialects (on MariaDB one database emptied and refilled between the tests).
 */
import { describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/open-database.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { DIALECTS } from './databases.ts';
import { countAllRows } from './package-state.ts';
import { createRandom, randomReport } from './random-reports.ts';
import { useFreshTestApp } from './test-app.ts';

/** The rows that take an AUTO_INCREMENT id, with their ids. */
async function readIds(database: Database) {
  return {
    hosts: await database.sql.selectSql(sql`SELECT id, name FROM hosts ORDER BY id`),
    packages: await database.sql.selectSql(sql`SELECT id, name FROM packages ORDER BY id`),
    versions: await database.sql.selectSql(sql`SELECT id, version FROM package_versions ORDER BY id`),
    kernels: await database.sql.selectSql(sql`SELECT id, name FROM kernels ORDER BY id`),
  };
}

for (const kind of DIALECTS) {
  describe(`useFreshTestApp (${kind})`, () => {
    const fresh = useFreshTestApp({ kind, fixture: true });
    const rounds: unknown[] = [];

    for (const round of [1, 2, 3])
      test(`round ${round}: the fixture alone, and the same writes get the same ids`, async () => {
        const { database, request } = fresh();
        const before = await countAllRows(database);
        // The same report each round, on a host the fixture does not have.
        await applyHostReport(fresh().store, randomReport(createRandom(7), 'fresh.example.com'));
        // A request through this test's app sees the write (its handle is the test's).
        expect((await request('/hosts/fresh.example.com')).status).toBe(200);
        rounds.push({ before, after: await countAllRows(database), ids: await readIds(database) });
        expect(rounds.at(-1)).toEqual(rounds[0]);
      });
  });
}
