/**
 * Table and column names for raw SQL, read from the drizzle schema: a column renamed in the schema
 * renames it in every raw statement, and a property renamed or removed fails the type check.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

/** A table's SQL name (`$table`) and its columns' SQL names by property. */
export type SqlNames<T extends Table> = { readonly [K in keyof T['_']['columns']]: string } & {
  readonly $table: string;
};

// Keyed by the schema's table objects, which live as long as the process.
const namesByTable = new WeakMap<Table, object>();

/** The SQL names of `table`: `names.$table`, `names.osId` (`'os_id'`)… */
export function sqlNames<T extends Table>(table: T): SqlNames<T> {
  let names = namesByTable.get(table);
  if (!names) {
    const byProperty: Record<string, string> = { $table: getTableName(table) };
    for (const [property, column] of Object.entries(getTableColumns(table)))
      byProperty[property] = column.name;
    names = Object.freeze(byProperty);
    namesByTable.set(table, names);
  }
  return names as SqlNames<T>;
}
