/**
 * A list of names with counts, as the binary and source package lists are: sorted by name without an
 * upgrade filter, straight from the name table (OFFSET for a page, a windowed walk on the name index
 * for an export); in any other order or with a filter, from an in-memory index of every name with its
 * counts (./package-index.ts, ./source-index.ts), filtered and sorted. The caller then reads the
 * exact counts of the rows it shows.
 */
import { and, asc, count, desc } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import type { Tables } from '../../db/types.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import { sortYielding } from '../../lib/yielding-sort.ts';
import { indexBound, orderOf, type SortKey, slices, windowedPages } from './keyset.ts';
import {
  containsIgnoringCase,
  type ExportOptions,
  type ListOptions,
  type Page,
  slicePage,
} from './list-options.ts';

/** An index entry: a name with its counts. */
export interface CountedEntry {
  id: number;
  name: string;
  installed: number;
  upgrades: number;
  security: number;
  versions: number;
  /** Binary packages only: CVEs with a fix available (./package-cves.ts). */
  cves?: number;
}

export type CountedSort = 'default' | 'name' | 'installed' | 'upgrades' | 'security' | 'versions' | 'cves';

/** Where a list's names come from. */
export interface CountedNames {
  /** The table of names (packages or src_packages: both an id and a unique name). */
  table: Tables['packages'] | Tables['srcPackages'];
  /** The index of every name with its counts. */
  index(): Promise<{ entries: readonly CountedEntry[] }>;
}

type NameRow = { id: number; name: string };

/** One page of names (with the list's total). */
export async function listCountedNames(
  database: Database,
  names: CountedNames,
  options: ListOptions<CountedSort>,
): Promise<Page<NameRow>> {
  if (!fromTable(options)) {
    const { keep, compare } = indexOrder(options);
    const entries = (await names.index()).entries.filter(keep);
    entries.sort(compare);
    return slicePage(entries, options);
  }
  const { db } = database;
  const table = names.table as Tables['packages'];
  const where = nameFilter(database, table, options);
  const [rows, totals] = await Promise.all([
    db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(where)
      .orderBy(options.descending ? desc(table.name) : asc(table.name))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(table).where(where),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}

/** Every name of the list in its order, `pageRows` at a time (exports). */
export async function pageCountedNames(
  database: Database,
  names: CountedNames,
  options: ExportOptions<CountedSort>,
  pageRows: number,
): Promise<AsyncGenerator<NameRow[]>> {
  if (!fromTable(options)) {
    const { keep, compare } = indexOrder(options);
    const entries = (await names.index()).entries.filter(keep);
    return slices(await sortYielding(entries, compare), pageRows);
  }
  const { db } = database;
  // Both tables are (id, name); typed as one so that the query builder takes either.
  const table = names.table as Tables['packages'];
  const where = nameFilter(database, table, options);
  const keys: SortKey<NameRow>[] = [
    { column: table.name, descending: options.descending, of: (row) => row.name },
  ];
  return windowedPages(keys, pageRows, indexBound(db, table, options.descending), (position, limit) =>
    db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(and(where, position))
      .orderBy(...orderOf(keys))
      .limit(limit),
  );
}

/** By name with no upgrade filter, the table (its name index) answers; anything else, the index. */
function fromTable(options: ExportOptions<CountedSort>): boolean {
  return options.sort === 'name' && options.filter === 'all';
}

function nameFilter(database: Database, table: Tables['packages'], options: ExportOptions<CountedSort>) {
  return options.q ? database.spelling.containsIgnoringCase(table.name, options.q) : undefined;
}

/** Security, then upgrades, then installed (each descending), then the name: what needs action first. */
const byDefault = (a: CountedEntry, b: CountedEntry) =>
  b.security - a.security ||
  b.upgrades - a.upgrades ||
  b.installed - a.installed ||
  compareBinary(a.name, b.name);

/** Which index entries the list keeps, and their order. */
function indexOrder(options: ExportOptions<CountedSort>) {
  const keep = (entry: CountedEntry) =>
    (!options.q || containsIgnoringCase(entry.name, options.q)) &&
    (options.filter === 'all' || (options.filter === 'upgradable' ? entry.upgrades > 0 : entry.security > 0));
  const key = options.sort;
  const ascending =
    key === 'default'
      ? byDefault
      : key === 'name'
        ? (a: CountedEntry, b: CountedEntry) => compareBinary(a.name, b.name)
        : (a: CountedEntry, b: CountedEntry) =>
            (a[key] ?? 0) - (b[key] ?? 0) || compareBinary(a.name, b.name);
  const compare =
    options.descending && key !== 'default'
      ? (a: CountedEntry, b: CountedEntry) => ascending(b, a)
      : ascending;
  return { keep, compare };
}
