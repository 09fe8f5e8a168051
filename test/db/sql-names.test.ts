/** Raw SQL's table and column names come from the schema, the same on both dialects. */
import { describe, expect, test } from 'bun:test';
import { is } from 'drizzle-orm';
import { MySqlTable } from 'drizzle-orm/mysql-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as mysql from '../../src/db/schema/mysql.ts';
import * as sqlite from '../../src/db/schema/sqlite.ts';
import { sqlNames } from '../../src/db/sql-names.ts';

describe('sqlNames', () => {
  test("a table's SQL name and its columns' SQL names by property", () => {
    const hosts = sqlNames(sqlite.hosts);
    expect(hosts.$table).toBe('hosts');
    expect([hosts.id, hosts.osId, hosts.kernelId, hosts.securityCount]).toEqual([
      'id',
      'os_id',
      'kernel_id',
      'security_count',
    ]);
    expect(sqlNames(sqlite.packageCountDeltas).$table).toBe('package_count_deltas');
  });

  test('both schemas give the same names', () => {
    const tables = Object.entries(sqlite).filter(([, table]) => is(table, SQLiteTable));
    expect(tables.length).toBeGreaterThanOrEqual(17);
    for (const [name, table] of tables) {
      const other = (mysql as Record<string, unknown>)[name];
      expect({ name, mirrored: is(other, MySqlTable) }).toEqual({ name, mirrored: true });
      expect({ name, names: sqlNames(other as typeof table) }).toEqual({ name, names: sqlNames(table) });
    }
  });

  test('the names are read once per table and cannot be changed', () => {
    expect(sqlNames(sqlite.images)).toBe(sqlNames(sqlite.images));
    expect(Object.isFrozen(sqlNames(sqlite.images))).toBe(true);
  });
});
