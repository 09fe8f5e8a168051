/**
 * Applies the embedded drizzle-kit migrations. Applied tags are recorded in `debmonitor_migrations`;
 * on MySQL a named lock keeps two starting instances from migrating at once.
 */
import { mysqlMigrations, sqliteMigrations } from './migrations.generated.ts';
import type { Database } from './open-database.ts';
import { ensureVersionIndexes } from './pair-indexes.ts';

export interface EmbeddedMigration {
  tag: string;
  sql: string;
}

const LOCK_NAME = 'debmonitor_migrate';

/** The migrations embedded for the database's dialect. */
export function listMigrations(database: Database): readonly EmbeddedMigration[] {
  return database.kind === 'sqlite' ? sqliteMigrations : mysqlMigrations;
}

/**
 * Applies every migration not applied yet; returns the tags it applied, in order. Two instances
 * starting at once on one MySQL take turns: the second finds the first's migrations applied.
 */
export async function migrate(database: Database): Promise<string[]> {
  await database.transaction((tx) =>
    tx.sql.run(
      'CREATE TABLE IF NOT EXISTS debmonitor_migrations (tag varchar(255) NOT NULL PRIMARY KEY, applied_at varchar(32) NOT NULL)',
    ),
  );
  return database.withNamedLock(LOCK_NAME, 120, async () => {
    const appliedRows = await database.sql.select<{ tag: string }>('SELECT tag FROM debmonitor_migrations');
    const done = new Set(appliedRows.map((row) => row.tag));
    const applied: string[] = [];
    for (const migration of listMigrations(database)) {
      if (done.has(migration.tag)) continue;
      const statements = migration.sql
        .split('--> statement-breakpoint')
        .map((statement) => statement.trim())
        .filter((statement) => statement.length > 0);
      // SQLite applies a migration atomically; MySQL commits DDL implicitly, statement by statement.
      await database.transaction(async (tx) => {
        for (const statement of statements) await tx.sql.run(statement);
        await tx.sql.run('INSERT INTO debmonitor_migrations (tag, applied_at) VALUES (?, ?)', [
          migration.tag,
          new Date().toISOString(),
        ]);
      });
      applied.push(migration.tag);
    }
    // An import that crashed while the pairs' version index was dropped left it missing.
    await ensureVersionIndexes(database);
    return applied;
  });
}
