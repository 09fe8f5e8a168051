/** Named locks (MySQL's GET_LOCK) are per database: two DebMonitor databases on one server never wait for each other. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { lockNameFor } from '../../src/db/mysql-database.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

let first: TestDatabase;
let second: TestDatabase;
beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase('mysql'), createTestDatabase('mysql')]);
});
afterAll(async () => {
  await Promise.all([first?.drop(), second?.drop()]);
});

test("a lock held on one database does not hold another database's lock of the same name", async () => {
  const order: string[] = [];
  await first.database.withNamedLock('debmonitor_test_lock', 5, async () => {
    order.push('first took it');
    // Server-wide names would make this wait 1 s and fail.
    await second.database.withNamedLock('debmonitor_test_lock', 1, async () => {
      order.push('second took it too');
    });
    // The same database's lock is still held: another connection waits and gives up.
    await expect(first.database.withNamedLock('debmonitor_test_lock', 0, async () => {})).rejects.toThrow(
      /waiting for the lock/,
    );
  });
  expect(order).toEqual(['first took it', 'second took it too']);
});

test('lock names fit the server limit of 64 characters', () => {
  expect(lockNameFor('debmonitor_migrate', 'debmonitor')).toBe('debmonitor_migrate:debmonitor');
  const long = lockNameFor('debmonitor_cve_import', 'x'.repeat(80));
  expect(long.length).toBeLessThanOrEqual(64);
  expect(long).not.toBe(lockNameFor('debmonitor_cve_import', 'y'.repeat(80)));
});
