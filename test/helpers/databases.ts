/**
 * Fresh databases for tests, one per dialect. MariaDB is expected on 127.0.0.1:3306 (root, no
 * password; override with DEBMONITOR_TEST_MYSQL_URL without a database name); .ci/run starts it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { migrate } from '../../src/db/migrate.ts';
import { type Database, openDatabase } from '../../src/db/open-database.ts';
import type { DialectName } from '../../src/db/types.ts';

export const MYSQL_SERVER_URL = process.env.DEBMONITOR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const DIALECTS: DialectName[] = ['sqlite', 'mysql'];

export interface TestDatabase {
  url: string;
  database: Database;
  /** Closes the connection and deletes the database. */
  drop(): Promise<void>;
}

/** Creates an empty database of the given dialect and returns its URL (not opened, not migrated). */
export async function createEmptyDatabase(
  kind: DialectName,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'debmonitor-test-'));
    return {
      url: `sqlite:${join(dir, 'test.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `debmonitor_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = await createConnection(`${MYSQL_SERVER_URL}/`);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    await admin.end();
  }
  return {
    url: `${MYSQL_SERVER_URL}/${name}`,
    async drop() {
      const conn = await createConnection(`${MYSQL_SERVER_URL}/`);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** Creates, opens and migrates a fresh database. */
export async function createTestDatabase(kind: DialectName): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(kind);
  const database = await openDatabase(empty.url);
  await migrate(database);
  return {
    url: empty.url,
    database,
    async drop() {
      await database.close();
      await empty.drop();
    },
  };
}
