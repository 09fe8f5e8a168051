/**
 * Applies the embedded drizzle-kit migrations. Applied tags are recorded in `debmonitor_migrations`;
 * on MySQL a named lock keeps two starting instances from migrating at once.
 */
import { sql } from 'drizzle-orm';
import { mysqlMigrations, sqliteMigrations } from './migrations.generated.ts';
import type { Database } from './open-database.ts';

export interface EmbeddedMigration {
  tag: string;
  sql: string;
}

const LOCK_NAME = 'debmonitor_migrate';

/** The migrations embedded for the database's dialect. */
export function listMigrations(database: Database): readonly EmbeddedMigration[] {
  return database.kind === 'sqlite' ? sqliteMigrations : mysqlMigrations;
}

/** Applies every migration not applied yet; returns the tags it applied, in order. */
export async function migrate(database: Database): Promise<string[]> {
  const { dialect, db } = database;
  const exec = (query: ReturnType<typeof sql>) => database.transaction((tx) => dialect.execute(tx, query));
  await exec(
    sql.raw(
      'CREATE TABLE IF NOT EXISTS debmonitor_migrations (tag varchar(255) NOT NULL PRIMARY KEY, applied_at varchar(32) NOT NULL)',
    ),
  );
  if (database.kind === 'mysql') {
    const [lock] = await dialect.selectRows<{ got: number }>(
      db,
      sql`SELECT GET_LOCK(${LOCK_NAME}, 120) AS got`,
    );
    if (Number(lock?.got) !== 1)
      throw new Error('Timed out waiting for another instance to finish migrating');
  }
  try {
    const done = new Set(
      (await dialect.selectRows<{ tag: string }>(db, sql`SELECT tag FROM debmonitor_migrations`)).map(
        (row) => row.tag,
      ),
    );
    const applied: string[] = [];
    for (const migration of listMigrations(database)) {
      if (done.has(migration.tag)) continue;
      const statements = migration.sql
        .split('--> statement-breakpoint')
        .map((statement) => statement.trim())
        .filter((statement) => statement.length > 0);
      // SQLite applies a migration atomically; MySQL commits DDL implicitly, statement by statement.
      await database.transaction(async (tx) => {
        for (const statement of statements) await dialect.execute(tx, sql.raw(statement));
        await dialect.execute(
          tx,
          sql`INSERT INTO debmonitor_migrations (tag, applied_at) VALUES (${migration.tag}, ${new Date().toISOString()})`,
        );
      });
      applied.push(migration.tag);
    }
    return applied;
  } finally {
    if (database.kind === 'mysql')
      await dialect.selectRows(db, sql`SELECT RELEASE_LOCK(${LOCK_NAME}) AS released`);
  }
}
