/** The first start creates `admin` once, even with two instances starting together. */
import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { parseConfig } from '../../../src/config/load-config.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { createMemoryLogger } from '../../../src/lib/logger.ts';
import { verifyPassword } from '../../../src/lib/password-hash.ts';
import { countUsers, findUserByName } from '../../../src/store/accounts/users.ts';
import { ensureInitialAdmin } from '../../../src/web/auth/initial-admin.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const config = parseConfig({}, () => {});

for (const kind of DIALECTS) {
  describe(`ensureInitialAdmin (${kind})`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.drop();
      t = undefined;
    });

    test('creates a superuser admin and logs its password once', async () => {
      t = await createTestDatabase(kind);
      const log = createMemoryLogger();
      expect(await ensureInitialAdmin(t.database, config, log)).toBe(true);
      const line = log.lines.find((entry) => entry.includes("Created the superuser 'admin'")) ?? '';
      const password = /with the password (\S+) /.exec(line)?.[1] ?? '';
      expect(line).toContain('debmonitor-server user passwd admin');
      const admin = await findUserByName(t.database, 'admin');
      expect(admin?.isSuperuser).toBe(true);
      expect(await verifyPassword(password, admin?.passwordHash ?? '')).toBe(true);

      const again = createMemoryLogger();
      expect(await ensureInitialAdmin(t.database, config, again)).toBe(false);
      expect(again.lines).toEqual([]);
    });

    test('two instances starting at once create one admin, and only one prints a password', async () => {
      t = await createTestDatabase(kind);
      const second = await openDatabase(t.url);
      try {
        const logs = [createMemoryLogger(), createMemoryLogger()];
        const results = await Promise.all([
          ensureInitialAdmin(t.database, config, logs[0] ?? createMemoryLogger()),
          ensureInitialAdmin(second, config, logs[1] ?? createMemoryLogger()),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(
          logs.flatMap((log) => log.lines).filter((line) => line.includes('with the password')),
        ).toHaveLength(1);
        expect(await countUsers(t.database)).toBe(1);
      } finally {
        await second.close();
      }
    });

    test('with CAS, creates nobody and explains how to make a superuser', async () => {
      t = await createTestDatabase(kind);
      const log = createMemoryLogger();
      const casConfig = parseConfig({ CAS: { CAS_SERVER_URL: 'https://cas.example.org/cas' } }, () => {});
      expect(await ensureInitialAdmin(t.database, casConfig, log)).toBe(false);
      expect(await countUsers(t.database)).toBe(0);
      expect(log.lines.join('\n')).toContain('user add --superuser --no-password');
    });
  });
}
