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
import { createStore, type Store } from '../../src/store/store.ts';
import { atEndOfRun } from './end-of-run.ts';

export const MYSQL_SERVER_URL = process.env.DEBMONITOR_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const DIALECTS: DialectName[] = ['sqlite', 'mysql'];

export interface TestDatabase {
  url: string;
  database: Database;
  /** The database's store, as the server makes it. */
  store: Store;
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

/** A MariaDB database migrated once per test process, that fresh test databases copy. */
interface MysqlTemplate {
  name: string;
  /** Its tables, by name. */
  tables: string[];
  /** SHOW CREATE TABLE of every table (foreign keys inline, so the order does not matter). */
  createTables: string[];
  /** Tables the migrations left rows in (debmonitor_migrations at least). */
  tablesWithRows: string[];
  drop(): Promise<void>;
}

let mysqlTemplate: Promise<MysqlTemplate> | undefined;

/** The template, made on first use (and dropped at the end of the run). */
function useMysqlTemplate(): Promise<MysqlTemplate> {
  if (!mysqlTemplate) {
    mysqlTemplate = createMysqlTemplate();
    atEndOfRun(dropDatabaseTemplates);
  }
  return mysqlTemplate;
}

/**
 * Migrates the template: about 65 DDL statements, 21 of them ALTER TABLE … ADD FOREIGN KEY that copy
 * their table, take seconds on a busy MariaDB; creating the 18 tables from the template's SHOW CREATE
 * TABLE takes a few dozen milliseconds (test/helpers/databases.db.test.ts checks the copy is alike).
 */
async function createMysqlTemplate(): Promise<MysqlTemplate> {
  const empty = await createEmptyDatabase('mysql');
  const database = await openDatabase(empty.url);
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
  const name = new URL(empty.url).pathname.slice(1);
  const conn = await createConnection(empty.url);
  try {
    const [others] = await conn.query(
      `SELECT (SELECT count(*) FROM information_schema.views WHERE table_schema = DATABASE())
            + (SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())
            + (SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE()) AS n`,
    );
    if (Number((others as { n: number }[])[0]?.n) !== 0)
      throw new Error('the migrations create views, triggers or routines: copy them in createTestDatabase');
    const [tables] = await conn.query(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const createTables: string[] = [];
    const tablesWithRows: string[] = [];
    const names = (tables as { name: string }[]).map((table) => table.name);
    for (const table of names) {
      const [shown] = await conn.query(`SHOW CREATE TABLE \`${table}\``);
      createTables.push((shown as Record<string, string>[])[0]?.['Create Table'] as string);
      const [rows] = await conn.query(`SELECT 1 FROM \`${table}\` LIMIT 1`);
      if ((rows as unknown[]).length > 0) tablesWithRows.push(table);
    }
    return { name, tables: names, createTables, tablesWithRows, drop: empty.drop };
  } finally {
    await conn.end();
  }
}

/** The URL of the MariaDB template (migrated by migrate(); test/helpers/databases.db.test.ts reads it). */
export async function mysqlTemplateUrl(): Promise<string> {
  return `${MYSQL_SERVER_URL}/${(await useMysqlTemplate()).name}`;
}

/** Drops the template database, if this process made one (at the end of the run). */
async function dropDatabaseTemplates(): Promise<void> {
  const template = mysqlTemplate;
  mysqlTemplate = undefined;
  await (await template?.catch(() => undefined))?.drop();
}

/** Creates an empty MariaDB database with the template's tables and rows: a migrated database. */
async function copyMysqlTemplate(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await useMysqlTemplate();
  const empty = await createEmptyDatabase('mysql');
  try {
    const conn = await createConnection(empty.url);
    try {
      await conn.query('SET foreign_key_checks = 0');
      for (const statement of template.createTables) await conn.query(statement);
      for (const table of template.tablesWithRows)
        await conn.query(`INSERT INTO \`${table}\` SELECT * FROM \`${template.name}\`.\`${table}\``);
    } finally {
      await conn.end();
    }
  } catch (error) {
    await empty.drop();
    throw error;
  }
  return empty;
}

/**
 * Creates, opens and migrates a fresh database. On MariaDB it is a copy of a template migrated once
 * per test process (migrating takes seconds there), or a database of an earlier test of this process
 * that was put back as the copy would be (reuseMysqlDatabase; CREATE and DROP DATABASE of 18 InnoDB
 * tables cost far more on a busy server); tests of the migrations themselves migrate an empty
 * database (createEmptyDatabase).
 */
export async function createTestDatabase(kind: DialectName): Promise<TestDatabase> {
  const empty = kind === 'mysql' ? await takeMysqlDatabase() : await createEmptyDatabase(kind);
  const database = await openDatabase(empty.url);
  // Not migrate() on a copy: the copy already holds every migration's tables and records
  // (test/helpers/databases.db.test.ts checks them).
  if (kind !== 'mysql') await migrate(database);
  return {
    url: empty.url,
    database,
    store: createStore(database),
    async drop() {
      await database.close();
      if (kind === 'mysql' && (await reuseMysqlDatabase(empty.url))) spareMysqlDatabases.push(empty);
      else await empty.drop();
    },
  };
}

/** Databases of this process put back as copies of the template, for the next createTestDatabase. */
const spareMysqlDatabases: { url: string; drop(): Promise<void> }[] = [];

async function takeMysqlDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const spare = spareMysqlDatabases.pop();
  if (spare) return spare;
  if (!spareCleanupRegistered) {
    spareCleanupRegistered = true;
    atEndOfRun(async () => {
      for (const spare of spareMysqlDatabases.splice(0)) await spare.drop();
    });
  }
  return copyMysqlTemplate();
}
let spareCleanupRegistered = false;

/**
 * Puts a MariaDB test database back as a copy of the template would be, when it is still alike:
 * the template's tables and no other object, every row deleted but the template's (copied again),
 * each AUTO_INCREMENT counter started over, and then every SHOW CREATE TABLE equal to the template's
 * (counters included). False, and nothing promised, when a test changed its schema or anything fails:
 * the caller drops it. The handles that used it must be closed.
 */
async function reuseMysqlDatabase(url: string): Promise<boolean> {
  const template = await useMysqlTemplate();
  let conn: Awaited<ReturnType<typeof createConnection>> | undefined;
  try {
    conn = await createConnection(url);
    // A test that left a connection holding locks: give up quickly and drop the database instead.
    await conn.query('SET SESSION lock_wait_timeout = 5, innodb_lock_wait_timeout = 5');
    const [objects] = await conn.query(
      `SELECT (SELECT count(*) FROM information_schema.views WHERE table_schema = DATABASE())
            + (SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())
            + (SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE())
            + (SELECT count(*) FROM information_schema.events WHERE event_schema = DATABASE()) AS n`,
    );
    if (Number((objects as { n: number }[])[0]?.n) !== 0) return false;
    const [tables] = await conn.query(
      `SELECT table_name AS name, table_type AS type FROM information_schema.tables
       WHERE table_schema = DATABASE() ORDER BY table_name`,
    );
    const names = (tables as { name: string; type: string }[]).map((table) => `${table.name} ${table.type}`);
    if (names.join('\n') !== template.tables.map((name) => `${name} BASE TABLE`).join('\n')) return false;
    await conn.query('SET foreign_key_checks = 0');
    await conn.query('START TRANSACTION');
    for (const name of template.tables) await conn.query(`DELETE FROM \`${name}\``);
    for (const name of template.tablesWithRows)
      await conn.query(`INSERT INTO \`${name}\` SELECT * FROM \`${template.name}\`.\`${name}\``);
    await conn.query('COMMIT');
    // InnoDB takes 1 as "the largest id in the table plus one"; the template's tables with rows
    // get theirs back from the copied rows.
    const [counters] = await conn.query(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND auto_increment > 1`,
    );
    for (const { name } of counters as { name: string }[])
      if (!template.tablesWithRows.includes(name))
        await conn.query(`ALTER TABLE \`${name}\` AUTO_INCREMENT = 1`);
    for (const [index, name] of template.tables.entries()) {
      const [shown] = await conn.query(`SHOW CREATE TABLE \`${name}\``);
      if ((shown as Record<string, string>[])[0]?.['Create Table'] !== template.createTables[index])
        return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    await conn?.end().catch(() => {});
  }
}

/** The next AUTO_INCREMENT value of each table of a MariaDB database that has one. */
export async function readAutoIncrements(url: string): Promise<Map<string, number>> {
  const conn = await createConnection(url);
  try {
    const [rows] = await conn.query(
      `SELECT table_name AS name, auto_increment AS next FROM information_schema.tables
       WHERE table_schema = DATABASE() AND auto_increment IS NOT NULL`,
    );
    return new Map((rows as { name: string; next: number }[]).map((row) => [row.name, Number(row.next)]));
  } finally {
    await conn.end();
  }
}

/**
 * Empties a MariaDB test database made by createTestDatabase: every row but the template's (the
 * migration records) deleted in one transaction, and each AUTO_INCREMENT counter that is not at
 * `counters` (readAutoIncrements after the test's setup) started over, so that refilling it hands
 * out the ids a fresh database would. Close the handles that used it first: their caches are stale.
 */
export async function emptyMysqlTestDatabase(url: string, counters: Map<string, number>): Promise<void> {
  const keep = new Set((await mysqlTemplate)?.tablesWithRows);
  const moved = [...(await readAutoIncrements(url))].filter(([table, next]) => counters.get(table) !== next);
  const conn = await createConnection(url);
  try {
    const [rows] = await conn.query(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`,
    );
    await conn.query('SET foreign_key_checks = 0');
    await conn.query('START TRANSACTION');
    for (const { name } of rows as { name: string }[])
      if (!keep.has(name)) await conn.query(`DELETE FROM \`${name}\``);
    await conn.query('COMMIT');
    // InnoDB takes 1 as "the largest id in the table plus one": the table is empty.
    for (const [table] of moved) await conn.query(`ALTER TABLE \`${table}\` AUTO_INCREMENT = 1`);
  } finally {
    await conn.end();
  }
}
