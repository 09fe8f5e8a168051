/**
 * Reading a whole list in pages, for exports: keyset pagination (each page starts after the last
 * row of the one before, on the list's sort key, which ends in a unique column), so that every page
 * costs about the same; OFFSET would read every row before the page again, quadratic over a long
 * list. Between pages the event loop takes other requests (on SQLite a query holds it throughout).
 */
import { type AnyColumn, and, asc, desc, eq, gt, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { AppDb, Tables } from '../../db/types.ts';
import { yieldToEventLoop } from '../../lib/yield.ts';
import type { Page } from './list-options.ts';

/** One term of a list's ORDER BY and how to read its value from a row. The values are never NULL. */
export interface SortKey<Row> {
  /** A column (its values are bound as the column stores them: dates) or an expression. */
  column: AnyColumn | SQL;
  descending?: boolean;
  of(row: Row): unknown;
}

type Compare = (left: SQL, right: unknown) => SQL;
/** `op(column, value)`; a column binds the value as it stores it (drizzle's overloads take one kind at a time). */
const compare = (op: Compare, column: AnyColumn | SQL, value: unknown) => op(column as SQL, value);

/** The ORDER BY of `keys`. */
export function orderOf<Row>(keys: readonly SortKey<Row>[]): SQL[] {
  return keys.map((key) => (key.descending ? desc(key.column) : asc(key.column)));
}

/**
 * The rows after a position in the order of `keys`: `values` are the first keys' values of the last
 * row read (all of them), or of the first key alone to skip every row with that value and before.
 */
export function after<Row>(keys: readonly SortKey<Row>[], values: readonly unknown[]): SQL {
  const beyond = (key: SortKey<Row>, value: unknown) => compare(key.descending ? lt : gt, key.column, value);
  const branches = values.map((value, index) =>
    and(
      ...keys.slice(0, index).map((key, j) => compare(eq, key.column, values[j])),
      beyond(keys[index] as SortKey<Row>, value),
    ),
  ) as SQL[];
  if (branches.length === 1) return branches[0] as SQL;
  // The same range on the first key alone, which the planners turn into an index seek.
  const first = keys[0] as SortKey<Row>;
  const from = compare(first.descending ? lte : gte, first.column, values[0]);
  return and(from, or(...branches)) as SQL;
}

/**
 * Every row of a list, `pageRows` at a time. `read` runs the list's query with `position` added to
 * its conditions (undefined for the first page), ordered by `keys`, limited to `limit` rows.
 */
export async function* keysetPages<Row>(
  keys: readonly SortKey<Row>[],
  pageRows: number,
  read: (position: SQL | undefined, limit: number) => PromiseLike<Row[]>,
): AsyncGenerator<Row[]> {
  let position: SQL | undefined;
  for (;;) {
    const rows = await read(position, pageRows);
    if (rows.length > 0) yield rows;
    const last = rows[pageRows - 1];
    if (last === undefined) return;
    position = after(
      keys,
      keys.map((key) => key.of(last)),
    );
    await yieldToEventLoop();
  }
}

/**
 * Finds where a window of a walk ends: the value of the walked column `window` index entries past
 * `from` (from the start when undefined), in the list's direction; undefined when fewer are left.
 */
export type WindowBound = (from: unknown, window: number) => Promise<string | undefined>;

/** Index entries per window of a walk, in pages: a window costs about as much as a few pages. */
const WINDOW_PAGES = 5;

/** A table whose unique `name` column a list walks. */
type NamedTable = Tables['hosts'] | Tables['images'] | Tables['packages'] | Tables['srcPackages'];

/** The WindowBound of a walk over the unique index on `table.name`. */
export function indexBound(db: AppDb, table: NamedTable, descending: boolean): WindowBound {
  const column = table.name;
  return async (from, window) => {
    const [row] = await db
      .select({ value: column })
      .from(table)
      .where(from === undefined ? undefined : compare(descending ? lt : gt, column, from))
      .orderBy(descending ? desc(column) : asc(column))
      .limit(1)
      .offset(window - 1);
    return row?.value;
  };
}

/**
 * keysetPages for a list read by walking the index of its first key with a filter that may keep few
 * rows (a search): each query reads at most one window of that index, so a page whose rows are far
 * apart costs several short queries instead of one long one.
 */
export async function* windowedPages<Row>(
  keys: readonly SortKey<Row>[],
  pageRows: number,
  bound: WindowBound,
  read: (where: SQL | undefined, limit: number) => Promise<Row[]>,
): AsyncGenerator<Row[]> {
  const first = keys[0] as SortKey<Row>;
  let position: unknown[] | undefined;
  const window = pageRows * WINDOW_PAGES;
  let end = await bound(undefined, window);
  for (;;) {
    const conditions: SQL[] = [];
    if (position) conditions.push(after(keys, position));
    if (end !== undefined) conditions.push(compare(first.descending ? gte : lte, first.column, end));
    const rows = await read(conditions.length > 0 ? and(...conditions) : undefined, pageRows);
    if (rows.length > 0) yield rows;
    const last = rows[pageRows - 1];
    if (last !== undefined) position = keys.map((key) => key.of(last));
    else if (end === undefined) return;
    else {
      position = [end];
      end = await bound(end, window);
    }
    await yieldToEventLoop();
  }
}

/** Holds a whole list's rows and hands them out `pageRows` at a time (lists sorted in memory). */
export async function* slices<Row>(rows: readonly Row[], pageRows: number): AsyncGenerator<Row[]> {
  for (let start = 0; start < rows.length; start += pageRows) yield rows.slice(start, start + pageRows);
}

/** Rows per page of an export. */
export const EXPORT_PAGE_ROWS = 1000;

/** The part of a query builder a list reads through: ordered, limited, and for pages offset. */
interface Orderable<Row> {
  orderBy(...columns: SQL[]): {
    limit(rows: number): PromiseLike<Row[]> & { offset(rows: number): PromiseLike<Row[]> };
  };
}

/** A list's query: its sort keys (ending in a unique column), its filter, and its rows under a condition. */
export interface ListQuery<Row> {
  keys: readonly SortKey<Row>[];
  /** The list's filter, ANDed with a keyset position for exports. */
  where: SQL | undefined;
  /** The rows matching `condition` (the filter, with or without a position), in no order yet. */
  select(condition: SQL | undefined): Orderable<Row>;
}

/** One page of a list (OFFSET paging, as a page view asks for it) and its total from `total`. */
export async function readPage<Row>(
  query: ListQuery<Row>,
  options: { limit: number; offset: number },
  total: PromiseLike<{ total: number }[]>,
): Promise<Page<Row>> {
  const [rows, totals] = await Promise.all([
    query
      .select(query.where)
      .orderBy(...orderOf(query.keys))
      .limit(options.limit)
      .offset(options.offset),
    total,
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}

/** Every row of a list in its order, `pageRows` at a time, by keyset (exports). */
export function exportPages<Row>(query: ListQuery<Row>, pageRows: number): AsyncGenerator<Row[]> {
  return keysetPages(query.keys, pageRows, (position, limit) =>
    query
      .select(and(query.where, position))
      .orderBy(...orderOf(query.keys))
      .limit(limit),
  );
}
