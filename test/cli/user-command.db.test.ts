/**
 * `debmonitor-server user …` against both dialects: the subcommands run in this process through
 * citty's runCommand (standard input and output injected); a few runs of the real entry point check
 * its wiring (--database, standard input, exit codes, errors without a stack).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from 'citty';
import { CommandError, createUserCommand } from '../../src/cli/user-command.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { DialectName } from '../../src/db/types.ts';
import { verifyPassword } from '../../src/lib/password-hash.ts';
import { createToken, sha256Hex } from '../../src/lib/tokens.ts';
import { createSession } from '../../src/store/accounts/sessions.ts';
import { findUserByName } from '../../src/store/accounts/users.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// MariaDB and spawned processes (argon2id at full cost there) are slow on a loaded machine; Bun
// ignores bunfig's timeout.
setDefaultTimeout(30_000);

const ENTRY = resolve(import.meta.dir, '../../src/server.ts');
const cwd = mkdtempSync(join(tmpdir(), 'debmonitor-user-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs `debmonitor-server user <args>` as a process, with `stdin` piped in. */
function spawnUser(args: string[], stdin = '') {
  const result = Bun.spawnSync([process.execPath, ENTRY, 'user', ...args], {
    cwd,
    stdin: new TextEncoder().encode(stdin),
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** A fresh database of `kind` for one describe block. */
function useDatabase(kind: DialectName) {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.drop());
  return {
    get url() {
      return (t as TestDatabase).url;
    },
    get database() {
      return (t as TestDatabase).database;
    },
  };
}

for (const kind of DIALECTS) {
  describe(`user command (${kind})`, () => {
    const db = useDatabase(kind);

    /**
     * Runs `user <args> --database URL` in this process as src/server.ts wires it (a connection of
     * its own per command), with `stdin` as standard input; what it prints and the error it fails with.
     */
    async function run(args: string[], stdin = '') {
      const printed: string[] = [];
      const command = createUserCommand({
        commonArgs: { database: { type: 'string', description: 'Database URL' } },
        async withDatabase(parsed, work) {
          const database = await openDatabase(String(parsed.database));
          try {
            return await work(database);
          } finally {
            await database.close();
          }
        },
        print: (line) => printed.push(line),
        readStdin: async () => stdin,
      });
      let error: unknown;
      try {
        await runCommand(command, { rawArgs: [...args, '--database', db.url] });
      } catch (caught) {
        error = caught;
      }
      return { stdout: printed.map((line) => `${line}\n`).join(''), error };
    }

    /** The message of an operator's mistake (printed alone, exit code 1, by runMain). */
    function refusal(result: { error: unknown }): string {
      expect(result.error).toBeInstanceOf(CommandError);
      return (result.error as CommandError).message;
    }

    test('add reads the password from stdin', async () => {
      const result = await run(['add', 'alice', '--password-stdin'], 'a long secret\n');
      expect(result.error).toBeUndefined();
      expect(result.stdout).toBe('Created user alice\n');
      const alice = await findUserByName(db.database, 'alice');
      expect(alice?.isSuperuser).toBe(false);
      expect(await verifyPassword('a long secret', alice?.passwordHash ?? '')).toBe(true);
    });

    test('add without a password source generates one and prints it', async () => {
      const result = await run(['add', 'root', '--superuser']);
      expect(result.error).toBeUndefined();
      const password = /^Password: (\S+)$/m.exec(result.stdout)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(result.stdout).toContain('Created superuser root');
      const root = await findUserByName(db.database, 'root');
      expect(root?.isSuperuser).toBe(true);
      expect(await verifyPassword(password, root?.passwordHash ?? '')).toBe(true);
    });

    test('add --no-password makes an account for CAS only', async () => {
      expect((await run(['add', 'casuser', '--no-password'])).error).toBeUndefined();
      expect((await findUserByName(db.database, 'casuser'))?.passwordHash).toBeNull();
    });

    test('add refuses a taken name, a bad name, a weak password and a common one', async () => {
      const taken = await run(['add', 'alice', '--password-stdin'], 'another long secret\n');
      expect(refusal(taken)).toContain("A user named 'alice' already exists");
      const badName = await run(['add', 'bad name', '--password-stdin'], 'a long secret\n');
      expect(refusal(badName)).toContain('may contain only letters');
      const weak = await run(['add', 'bob', '--password-stdin'], '1234\n');
      expect(refusal(weak)).toContain('at least 8 characters');
      const common = await run(['add', 'bob', '--password-stdin'], 'Summer2024\n');
      expect(refusal(common)).toContain(
        'The password is too easy to guess. This is similar to a commonly used password.',
      );
      expect(await findUserByName(db.database, 'bob')).toBeNull();
    });

    test('list shows every account with its role and status', async () => {
      const result = await run(['list']);
      expect(result.error).toBeUndefined();
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS\s+SIGN-IN\s+LAST-LOGIN$/);
      expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 4))).toEqual([
        ['alice', 'user', 'active', 'password'],
        ['casuser', 'user', 'active', 'no-password'],
        ['root', 'superuser', 'active', 'password'],
      ]);
    });

    test("passwd sets a new password and ends the account's sessions", async () => {
      const alice = await findUserByName(db.database, 'alice');
      const tokenHash = sha256Hex(createToken());
      await createSession(db.database, {
        tokenHash,
        userId: alice?.id ?? 0,
        csrfToken: createToken(),
        expires: new Date(Date.now() + 3_600_000),
      });
      const result = await run(['passwd', 'alice', '--password-stdin'], 'the next long secret\n');
      expect(result.error).toBeUndefined();
      expect(result.stdout).toBe('Password of alice changed\n');
      const updated = await findUserByName(db.database, 'alice');
      expect(await verifyPassword('the next long secret', updated?.passwordHash ?? '')).toBe(true);
      expect(await verifyPassword('a long secret', updated?.passwordHash ?? '')).toBe(false);
      const sessions = await db.database.db.select().from(db.database.tables.sessions);
      expect(sessions.some((row) => row.tokenHash === tokenHash)).toBe(false);
    });

    test('passwd of an unknown account fails', async () => {
      const result = await run(['passwd', 'nobody', '--password-stdin'], 'a long secret\n');
      expect(refusal(result)).toContain("No user named 'nobody'");
    });

    test('remove deletes the account, then says it is gone', async () => {
      const first = await run(['remove', 'casuser']);
      expect(first.error).toBeUndefined();
      expect(first.stdout).toBe('Removed user casuser\n');
      expect(await findUserByName(db.database, 'casuser')).toBeNull();
      const again = await run(['remove', 'casuser']);
      expect(refusal(again)).toContain("No user named 'casuser'");
    });
  });
}

describe('user command as a process (the entry point wiring; the subcommands are tested above)', () => {
  const db = useDatabase('sqlite');

  test('add reads stdin and writes the database --database names; a refusal exits 1 without a stack', async () => {
    const added = spawnUser(['add', 'alice', '--password-stdin', '--database', db.url], 'a long secret\n');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Created user alice\n');
    const alice = await findUserByName(db.database, 'alice');
    expect(await verifyPassword('a long secret', alice?.passwordHash ?? '')).toBe(true);
    // The server's own cost, not the tests' (test/helpers/preload.ts lowers it in this process only).
    expect(alice?.passwordHash).toStartWith('$argon2id$v=19$m=65536,t=2,p=1$');

    const weak = spawnUser(['add', 'bob', '--password-stdin', '--database', db.url], '1234\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 8 characters');
    expect(weak.stderr).not.toContain('    at ');
    expect(weak.stdout).toBe('');
  });

  test('user --help lists the subcommands', () => {
    const result = spawnUser(['--help']);
    const text = result.stdout + result.stderr;
    for (const command of ['add', 'passwd', 'list', 'remove']) expect(text).toContain(command);
  });
});
