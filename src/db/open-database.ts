/** Opens the database a URL names: SQLite (./sqlite-database.ts) or MySQL (./mysql-database.ts). */
import { type Database, DatabaseOpenError, type OpenDatabaseOptions, redactUrl } from './database.ts';
import { openMysql } from './mysql-database.ts';
import { openSqlite } from './sqlite-database.ts';

export type { Database, OpenDatabaseOptions, TransactionOptions } from './database.ts';
export { DatabaseOpenError, redactUrl } from './database.ts';
export type { Transaction } from './sql-runner.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./debmonitor.sqlite';

/**
 * Opens `url` and checks that it answers; throws a DatabaseOpenError naming the problem when the URL
 * is not understood, the SQLite file cannot be opened or MySQL refuses the connection.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(sqliteFileOf(url), options);
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return openMysql(url, options);
  throw new DatabaseOpenError(
    `Unsupported database URL '${redactUrl(url)}': use sqlite:PATH (for example ${DEFAULT_DATABASE_URL}) or mysql://USER:PASSWORD@HOST:PORT/DATABASE`,
  );
}

/**
 * The file of a SQLite URL: `sqlite:PATH` (relative to the working directory, or absolute), or the
 * URL form `sqlite://PATH`, the same with `//` (so `sqlite:///var/x.sqlite` is absolute and
 * `sqlite://./x.sqlite` relative). openSqlite refuses a file directly in `/`.
 */
export function sqliteFileOf(url: string): string {
  const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
  if (file === '') {
    throw new DatabaseOpenError(
      `The database URL '${url}' names no file: write, for example, ${DEFAULT_DATABASE_URL}`,
    );
  }
  return file;
}
