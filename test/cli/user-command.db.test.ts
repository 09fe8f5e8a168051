/** `debmonitor-server user …` run as a real process against both dialects. */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrate } from '../../src/db/migrate.ts';
import { type Database, openDatabase } from '../../src/db/open-database.ts';
import { verifyPassword } from '../../src/lib/password-hash.ts';
import { createToken, sha256Hex } from '../../src/lib/tokens.ts';
import { createSession } from '../../src/store/sessions.ts';
import { findUserByName } from '../../src/store/users.ts';
import { createEmptyDatabase, DIALECTS } from '../helpers/databases.ts';

// Argon2id hashing, MariaDB and spawned processes are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(30_000);

const ENTRY = resolve(import.meta.dir, '../../src/server.ts');
const cwd = mkdtempSync(join(tmpdir(), 'debmonitor-user-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

for (const kind of DIALECTS) {
  describe(`user command (${kind})`, () => {
    let url: string;
    let drop: () => Promise<void>;
    let database: Database;

    /** Runs `debmonitor-server user <args> --database URL`, with `stdin` piped in. */
    function run(args: string[], stdin = '') {
      const result = Bun.spawnSync([process.execPath, ENTRY, 'user', ...args, '--database', url], {
        cwd,
        stdin: new TextEncoder().encode(stdin),
        env: { ...process.env, NO_COLOR: '1' },
      });
      return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
    }

    beforeAll(async () => {
      ({ url, drop } = await createEmptyDatabase(kind));
      database = await openDatabase(url);
      await migrate(database);
    });
    afterAll(async () => {
      await database?.close();
      await drop?.();
    });

    test('add reads the password from stdin', async () => {
      const result = run(['add', 'alice', '--password-stdin'], 'a long secret\n');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Created user alice\n');
      const alice = await findUserByName(database, 'alice');
      expect(alice?.isSuperuser).toBe(false);
      expect(await verifyPassword('a long secret', alice?.passwordHash ?? '')).toBe(true);
    });

    test('add without a password source generates one and prints it', async () => {
      const result = run(['add', 'root', '--superuser']);
      expect(result.code).toBe(0);
      const password = /^Password: (\S+)$/m.exec(result.stdout)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(result.stdout).toContain('Created superuser root');
      const root = await findUserByName(database, 'root');
      expect(root?.isSuperuser).toBe(true);
      expect(await verifyPassword(password, root?.passwordHash ?? '')).toBe(true);
    });

    test('add --no-password makes an account for CAS only', async () => {
      expect(run(['add', 'casuser', '--no-password']).code).toBe(0);
      expect((await findUserByName(database, 'casuser'))?.passwordHash).toBeNull();
    });

    test('add refuses a taken name, a bad name, a weak password and a common one', () => {
      const taken = run(['add', 'alice', '--password-stdin'], 'another long secret\n');
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain("A user named 'alice' already exists");
      const badName = run(['add', 'bad name', '--password-stdin'], 'a long secret\n');
      expect(badName.code).toBe(1);
      expect(badName.stderr).toContain('may contain only letters');
      const weak = run(['add', 'bob', '--password-stdin'], '1234\n');
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain('at least 8 characters');
      expect(weak.stderr).not.toContain('    at ');
      const common = run(['add', 'bob', '--password-stdin'], 'Summer2024\n');
      expect(common.code).toBe(1);
      expect(common.stderr).toContain(
        'The password is too easy to guess. This is similar to a commonly used password.',
      );
    });

    test('list shows every account with its role and status', () => {
      const result = run(['list']);
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS\s+SIGN-IN\s+LAST-LOGIN$/);
      expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 4))).toEqual([
        ['alice', 'user', 'active', 'password'],
        ['casuser', 'user', 'active', 'no-password'],
        ['root', 'superuser', 'active', 'password'],
      ]);
    });

    test("passwd sets a new password and ends the account's sessions", async () => {
      const alice = await findUserByName(database, 'alice');
      const tokenHash = sha256Hex(createToken());
      await createSession(database, {
        tokenHash,
        userId: alice?.id ?? 0,
        csrfToken: createToken(),
        expires: new Date(Date.now() + 3_600_000),
      });
      const result = run(['passwd', 'alice', '--password-stdin'], 'the next long secret\n');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Password of alice changed\n');
      const updated = await findUserByName(database, 'alice');
      expect(await verifyPassword('the next long secret', updated?.passwordHash ?? '')).toBe(true);
      expect(await verifyPassword('a long secret', updated?.passwordHash ?? '')).toBe(false);
      const sessions = await database.db.select().from(database.tables.sessions);
      expect(sessions.some((row) => row.tokenHash === tokenHash)).toBe(false);
    });

    test('passwd of an unknown account fails', () => {
      const result = run(['passwd', 'nobody', '--password-stdin'], 'a long secret\n');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("No user named 'nobody'");
    });

    test('remove deletes the account, then says it is gone', async () => {
      const first = run(['remove', 'casuser']);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe('Removed user casuser\n');
      expect(await findUserByName(database, 'casuser')).toBeNull();
      const again = run(['remove', 'casuser']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("No user named 'casuser'");
    });
  });
}

test('user --help lists the subcommands', () => {
  const result = Bun.spawnSync([process.execPath, ENTRY, 'user', '--help'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const text = result.stdout.toString() + result.stderr.toString();
  for (const command of ['add', 'passwd', 'list', 'remove']) expect(text).toContain(command);
});
