/**
 * How each database spells the SQL clauses that differ: pure text and `sql` fragments, no I/O.
 * Row locks, join order and index hints, string aggregation, case-insensitive matching, upsert and
 * insert-ignore suffixes of raw INSERTs, and timestamps as bound parameters.
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { DialectName } from './types.ts';

export interface SqlSpelling {
  readonly name: DialectName;
  /**
   * Appended to a SELECT that must lock the rows it reads until the transaction ends: `FOR UPDATE`
   * on MySQL; nothing on SQLite, whose write transaction already holds the database's only write lock.
   */
  readonly forUpdate: SQL;
  /** `forUpdate` as raw SQL text. */
  readonly forUpdateClause: string;
  /**
   * Appended to a SELECT whose rows must not change until the transaction ends (others may read them):
   * `LOCK IN SHARE MODE` on MySQL; nothing on SQLite, whose writers never overlap.
   */
  readonly shareLockClause: string;
  /**
   * An inner join operator that keeps the tables in the written order (`a <joinInOrder> b ON …`
   * reads `a` first): `STRAIGHT_JOIN` on MySQL, `CROSS JOIN` on SQLite. For plans the planners'
   * estimates miss, such as walking an index in order and stopping after a page.
   */
  readonly joinInOrder: SQL;
  /** The same operator as text, for statements written as strings (`SqlRunner`). */
  readonly joinInOrderText: 'CROSS JOIN' | 'STRAIGHT_JOIN';
  /**
   * Written after a table's alias: read it through `index` (`FORCE INDEX` on MySQL, `INDEXED BY` on
   * SQLite). For joins whose plan must not depend on statistics (stale right after a bulk load).
   */
  forceIndex(index: string): SQL;
  /** The same hint as text, for statements written as strings. */
  forceIndexText(index: string): string;
  /** `GROUP_CONCAT(DISTINCT expr ORDER BY expr SEPARATOR sep)` in the dialect's spelling. */
  groupConcatDistinct(expr: SQL | AnyColumn, separator: string): SQL<string | null>;
  /** `column` contains `text`, ignoring case, with LIKE wildcards in `text` taken literally. */
  containsIgnoringCase(column: SQL | AnyColumn, text: string): SQL;
  /** `column` starts with `text`, ignoring case, with LIKE wildcards in `text` taken literally. */
  startsWithIgnoringCase(column: SQL | AnyColumn, text: string): SQL;
  /** `column` equals `text`, ignoring case. */
  equalsIgnoringCase(column: SQL | AnyColumn, text: string): SQL;
  /** A timestamp as a bound parameter of raw SQL (milliseconds on SQLite, a Date on MySQL). */
  timestampParam(date: Date): unknown;
  /** Suffix of a raw INSERT that updates `update` when a row hits the unique key `target`. */
  upsertClause(target: readonly string[], update: readonly string[]): string;
  /**
   * Suffix of a raw INSERT that, when a row hits the unique key `target`, adds the inserted values
   * of `columns` to the existing ones (counts moved by deltas), and sets `replace` to the inserted values.
   */
  addClause(target: readonly string[], columns: readonly string[], replace?: readonly string[]): string;
  /**
   * Suffix of a raw INSERT into a rollup that, when a row hits the unique key `target`, adds the
   * inserted `add` columns to the existing ones and keeps the earlier of the `earliest` and the later
   * of the `latest` values.
   */
  rollupClause(
    target: readonly string[],
    columns: { add: readonly string[]; earliest: readonly string[]; latest: readonly string[] },
  ): string;
  /**
   * Suffix of a raw INSERT that skips rows hitting a unique key. On MySQL a no-op update, not
   * INSERT IGNORE, which would also swallow foreign-key and truncation errors.
   */
  readonly ignoreClause: string;
  /**
   * Raw SQL that `(a, b)` is one of `pairs`, for an index on (…, a, b): a seek per pair. `(a, b) IN
   * ((?, ?), …)` on MySQL (a range per pair); `(a, b) IN (VALUES (?, ?), …)` on SQLite, padded to a
   * power of two with its last pair so that statements are reused (`a IN (…) AND b IN (…)` made a
   * seek per combination, 4× slower at 16 pairs).
   */
  pairIn(
    a: string,
    b: string,
    pairs: readonly (readonly [unknown, unknown])[],
  ): { text: string; params: unknown[] };
}

/** Escapes LIKE wildcards so that user text matches literally (with `ESCAPE '!'`). */
function escapeLike(text: string): string {
  return text.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`);
}

// MySQL's identifier columns are utf8mb4_bin (case-sensitive): these compare lower-cased copies.
function containsIgnoringCase(column: SQL | AnyColumn, text: string): SQL {
  return sql`lower(${column}) LIKE ${`%${escapeLike(text)}%`} ESCAPE '!'`;
}

function startsWithIgnoringCase(column: SQL | AnyColumn, text: string): SQL {
  return sql`lower(${column}) LIKE ${`${escapeLike(text)}%`} ESCAPE '!'`;
}

function equalsIgnoringCase(column: SQL | AnyColumn, text: string): SQL {
  return sql`lower(${column}) = ${text.toLowerCase()}`;
}

export const sqliteSpelling: SqlSpelling = {
  name: 'sqlite',
  forUpdate: sql``,
  forUpdateClause: '',
  shareLockClause: '',
  joinInOrder: sql.raw('CROSS JOIN'),
  joinInOrderText: 'CROSS JOIN',
  forceIndex: (index) => sql.raw(`INDEXED BY ${index}`),
  forceIndexText: (index) => `INDEXED BY ${index}`,
  groupConcatDistinct(expr, separator) {
    // SQLite's DISTINCT aggregate takes one argument; the default separator is ','.
    return sql<string | null>`replace(group_concat(DISTINCT ${expr}), ',', ${separator})`;
  },
  containsIgnoringCase,
  startsWithIgnoringCase,
  equalsIgnoringCase,
  timestampParam: (date) => date.getTime(),
  upsertClause(target, update) {
    const set = update.map((column) => `${column} = excluded.${column}`).join(', ');
    return ` ON CONFLICT (${target.join(', ')}) DO UPDATE SET ${set}`;
  },
  addClause(target, columns, replace = []) {
    const set = [
      ...columns.map((column) => `${column} = ${column} + excluded.${column}`),
      ...replace.map((column) => `${column} = excluded.${column}`),
    ].join(', ');
    return ` ON CONFLICT (${target.join(', ')}) DO UPDATE SET ${set}`;
  },
  rollupClause(target, { add, earliest, latest }) {
    const set = [
      ...add.map((column) => `${column} = ${column} + excluded.${column}`),
      ...earliest.map((column) => `${column} = min(${column}, excluded.${column})`),
      ...latest.map((column) => `${column} = max(${column}, excluded.${column})`),
    ].join(', ');
    return ` ON CONFLICT (${target.join(', ')}) DO UPDATE SET ${set}`;
  },
  ignoreClause: ' ON CONFLICT DO NOTHING',
  pairIn(a, b, pairs) {
    const last = pairs[pairs.length - 1];
    if (!last) return { text: '1 = 0', params: [] };
    const padded = [...pairs];
    while ((padded.length & (padded.length - 1)) !== 0) padded.push(last);
    return {
      text: `(${a}, ${b}) IN (VALUES ${padded.map(() => '(?, ?)').join(', ')})`,
      params: padded.flatMap((pair) => [pair[0], pair[1]]),
    };
  },
};

export const mysqlSpelling: SqlSpelling = {
  name: 'mysql',
  forUpdate: sql` FOR UPDATE`,
  forUpdateClause: ' FOR UPDATE',
  shareLockClause: ' LOCK IN SHARE MODE',
  joinInOrder: sql.raw('STRAIGHT_JOIN'),
  joinInOrderText: 'STRAIGHT_JOIN',
  forceIndex: (index) => sql.raw(`FORCE INDEX (${index})`),
  forceIndexText: (index) => `FORCE INDEX (${index})`,
  groupConcatDistinct(expr, separator) {
    return sql<string | null>`group_concat(DISTINCT ${expr} ORDER BY ${expr} SEPARATOR ${separator})`;
  },
  containsIgnoringCase,
  startsWithIgnoringCase,
  equalsIgnoringCase,
  timestampParam: (date) => date,
  upsertClause(_target, update) {
    return ` ON DUPLICATE KEY UPDATE ${update.map((column) => `${column} = VALUES(${column})`).join(', ')}`;
  },
  addClause(_target, columns, replace = []) {
    const set = [
      ...columns.map((column) => `${column} = ${column} + VALUES(${column})`),
      ...replace.map((column) => `${column} = VALUES(${column})`),
    ].join(', ');
    return ` ON DUPLICATE KEY UPDATE ${set}`;
  },
  rollupClause(_target, { add, earliest, latest }) {
    const set = [
      ...add.map((column) => `${column} = ${column} + VALUES(${column})`),
      ...earliest.map((column) => `${column} = LEAST(${column}, VALUES(${column}))`),
      ...latest.map((column) => `${column} = GREATEST(${column}, VALUES(${column}))`),
    ].join(', ');
    return ` ON DUPLICATE KEY UPDATE ${set}`;
  },
  ignoreClause: ' ON DUPLICATE KEY UPDATE id = id',
  pairIn(a, b, pairs) {
    if (pairs.length === 0) return { text: '1 = 0', params: [] };
    return {
      text: `(${a}, ${b}) IN (${pairs.map(() => '(?, ?)').join(', ')})`,
      params: pairs.flatMap((pair) => [pair[0], pair[1]]),
    };
  },
};
