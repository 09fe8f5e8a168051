/**
 * The types the query code is written against. Both schema files export the same tables and
 * columns, so queries are typed with the SQLite flavour and run unchanged on MySQL (the parity
 * test keeps that promise); only the modules of this folder know where the two differ
 * (./sql-spelling.ts, ./capabilities.ts, ./driver-errors.ts and the two database modules).
 */
import type { BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import type * as tables from './schema/sqlite.ts';

export type Tables = typeof tables;
/** The query builder of a database or a transaction; always `await` queries (never `.all()`/`.run()`). */
export type AppDb = BunSQLiteDatabase<Tables>;
export type DialectName = 'sqlite' | 'mysql';
