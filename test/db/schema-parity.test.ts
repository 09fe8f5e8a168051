import { describe, expect, test } from 'bun:test';
import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import * as mysql from '../../src/db/schema/mysql.ts';
import * as sqlite from '../../src/db/schema/sqlite.ts';

function describeTables(schema: Record<string, unknown>) {
  const out: Record<string, { table: string; columns: Record<string, { name: string; notNull: boolean }> }> =
    {};
  for (const [exportName, value] of Object.entries(schema)) {
    if (!is(value, Table)) continue;
    const columns: Record<string, { name: string; notNull: boolean }> = {};
    for (const [property, column] of Object.entries(getTableColumns(value))) {
      columns[property] = { name: column.name, notNull: column.notNull };
    }
    out[exportName] = { table: getTableName(value), columns };
  }
  return out;
}

describe('the MySQL and SQLite schemas', () => {
  const left = describeTables(sqlite);
  const right = describeTables(mysql);
  test('export the same tables under the same names', () => {
    expect(Object.keys(right).sort()).toEqual(Object.keys(left).sort());
    expect(Object.keys(left).length).toBeGreaterThanOrEqual(13);
  });
  for (const exportName of Object.keys(left)) {
    test(`${exportName} has the same table name, columns and nullability`, () => {
      expect(right[exportName]).toEqual(left[exportName]!);
    });
  }
});
