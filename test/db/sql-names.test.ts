/** Raw SQL's table and column names come from the schema, the same on both dialects. */
import { describe, expect, test } from 'bun:test';
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
    let compared = 0;
    for (const [name, table] of Object.entries(sqlite)) {
      const other = (mysql as Record<string, unknown>)[name];
      if (typeof table !== 'object' || !other || !('getSQL' in table)) continue;
      expect({ name, names: sqlNames(other as typeof table) }).toEqual({ name, names: sqlNames(table) });
      compared++;
    }
    expect(compared).toBe(20);
  });

  test('the names are read once per table and cannot be changed', () => {
    expect(sqlNames(sqlite.images)).toBe(sqlNames(sqlite.images));
    expect(Object.isFrozen(sqlNames(sqlite.images))).toBe(true);
  });
});
