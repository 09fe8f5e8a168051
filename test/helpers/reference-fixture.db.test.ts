import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDatabase, DIALECTS, type TestDatabase } from './databases.ts';
import { loadReferenceFixture } from './reference-fixture.ts';

for (const kind of DIALECTS) {
  describe(`the reference fixture on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      await loadReferenceFixture(t.database);
    });
    afterAll(async () => t?.drop());
    test('loads every row of spec §2.5', async () => {
      const { db, tables } = t.database;
      expect((await db.select().from(tables.packageVersions)).length).toBe(9);
      expect((await db.select().from(tables.hostPackages)).length).toBe(12);
      expect((await db.select().from(tables.imagePackages)).length).toBe(3);
    });
  });
}
