/** createTestDatabase: on both dialects, the same schema and migration records as migrating. */
import { describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { migrate } from '../../src/db/migrate.ts';
import { type Database, openDatabase } from '../../src/db/open-database.ts';
import { createEmptyDatabase, createTestDatabase, DIALECTS, mysqlTemplateUrl } from './databases.ts';

/** Every table's definition and the migration tags, as the dialect shows them. */
async function describeSchema(database: Database): Promise<{ tables: string[]; tags: string[] }> {
  const tags = (
    await database.sql.selectSql<{ tag: string }>(sql`SELECT tag FROM debmonitor_migrations ORDER BY tag`)
  ).map((row) => row.tag);
  if (database.kind === 'sqlite') {
    const rows = await database.sql.selectSql<{ sql: string }>(
      sql`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name`,
    );
    return { tables: rows.map((row) => row.sql), tags };
  }
  const names = await database.sql.selectSql<{ name: string }>(
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name`,
  );
  const tables: string[] = [];
  for (const { name } of names) {
    const [shown] = await database.sql.selectSql<Record<string, string>>(
      sql.raw(`SHOW CREATE TABLE \`${name}\``),
    );
    tables.push(shown?.['Create Table'] ?? '');
  }
  return { tables, tags };
}

for (const kind of DIALECTS) {
  describe(`createTestDatabase (${kind})`, () => {
    test('gives the schema and migration records that migrating an empty database gives', async () => {
      // MariaDB: the template the copies come from, migrated by migrate() (migrating another would
      // take seconds); SQLite migrates every test database.
      const empty = kind === 'mysql' ? undefined : await createEmptyDatabase(kind);
      const migrated = await openDatabase(empty?.url ?? (await mysqlTemplateUrl()));
      const made = await createTestDatabase(kind);
      try {
        if (empty) expect(await migrate(migrated)).not.toEqual([]);
        const expected = await describeSchema(migrated);
        expect(expected.tables.length).toBeGreaterThan(10);
        expect(expected.tags.length).toBeGreaterThan(0);
        expect(await describeSchema(made.database)).toEqual(expected);
        // Two in a row are separate databases.
        const second = await createTestDatabase(kind);
        try {
          expect(second.url).not.toBe(made.url);
          expect(await describeSchema(second.database)).toEqual(expected);
        } finally {
          await second.drop();
        }
      } finally {
        await migrated.close();
        await empty?.drop();
        await made.drop();
      }
    });
  });
}
