/**
 * The types the query code is written against. Both schema files export the same tables and
 * columns, so queries are typed with the SQLite flavour and run unchanged on MySQL (the parity
 * test keeps that promise); only ./dialect.ts knows where the two differ.
 */
import type { BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import type * as tables from './schema/sqlite.ts';

export type Tables = typeof tables;
/** A drizzle database or transaction handle; always `await` queries (never `.all()`/`.run()`). */
export type AppDb = BunSQLiteDatabase<Tables>;
export type DialectName = 'sqlite' | 'mysql';
