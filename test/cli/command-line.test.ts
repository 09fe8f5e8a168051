/**
 * `debmonitor-server` as a new user meets it: mistakes on the command line, a missing configuration
 * file, a busy port, and stopping `npm start`. Every failure is one line on stderr and an exit code.
 * Argument mistakes run the entry point's command tree in this process (runServerCliInProcess); real
 * processes show what only they can: the exit code the process ends with, a line without Bun's
 * stack trace, a `serve` that starts, signals.
 */

import { Database as SqliteClient } from 'bun:sqlite';
import { afterAll, describe, expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectOneLineError, runServerCli, runServerCliInProcess } from '../helpers/cli.ts';
import { startServerProcess } from '../helpers/server-process.ts';

const ROOT = resolve(import.meta.dir, '../..');
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh, empty working directory. */
function workDir(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

describe('a misspelled flag stops the command with exit 2, naming the flag and the closest one', () => {
  const commands = [
    ['serve'],
    ['migrate'],
    ['gc'],
    ['recount'],
    ['user', 'add', 'bob'],
    ['user', 'passwd', 'bob'],
    ['user', 'list'],
    ['user', 'remove', 'bob'],
    ['cve', 'import'],
  ];
  for (const command of commands) {
    test(`${command.join(' ')} --databse`, async () => {
      const cwd = workDir(`typo-${command.join('-')}`);
      const run = await runServerCliInProcess([...command, '--databse', 'sqlite:x.sqlite'], { cwd });
      const name = command.filter((word) => word !== 'bob').join(' ');
      expectOneLineError(run, 2, ["'--databse'", `debmonitor-server ${name}`, "'--database'"]);
      // Nothing ran: no default database appeared.
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  test('the process exits 2 with the same one line, and nothing ran', async () => {
    const cwd = workDir('typo-process');
    const args = ['user', 'add', 'bob', '--databse', 'sqlite:x.sqlite'];
    const run = runServerCli(args, { cwd });
    expectOneLineError(run, 2, ["'--databse'", 'debmonitor-server user add', "'--database'"]);
    expect(run).toEqual(await runServerCliInProcess(args, { cwd }));
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('version takes no options', async () => {
    const run = await runServerCliInProcess(['version', '--databse', 'x'], { cwd: dir });
    expectOneLineError(run, 2, ["'--databse'", 'no options']);
  });

  test('a flag far from every known one lists them', async () => {
    const run = await runServerCliInProcess(['serve', '--db', 'x'], { cwd: dir });
    expectOneLineError(run, 2, ["'--db'", '--config', '--database', '--host', '--port', '--[no-]migrate']);
  });

  test('a flag before the command says where flags go', async () => {
    const run = await runServerCliInProcess(['--config=x.json', 'serve'], { cwd: dir });
    expectOneLineError(run, 2, ["'--config'", 'after the command']);
  });

  test('a flag without its value', async () => {
    for (const args of [
      ['recount', '--database'],
      ['recount', '--database='],
      ['gc', '--config', '--database'],
    ]) {
      expectOneLineError(await runServerCliInProcess(args, { cwd: dir }), 2, ["'--", 'needs a value']);
    }
  });

  test('a port that is not a number', async () => {
    expectOneLineError(await runServerCliInProcess(['serve', '--port', 'abc'], { cwd: dir }), 2, [
      '--port',
      "'abc'",
    ]);
  });
});

describe('a wrong command or argument stops with exit 2', () => {
  test('an unknown command suggests the closest', async () => {
    expectOneLineError(await runServerCliInProcess(['serv'], { cwd: dir }), 2, [
      "unknown command 'serv'",
      "'serve'",
    ]);
    expectOneLineError(await runServerCliInProcess(['user', 'rm', 'bob'], { cwd: dir }), 2, [
      "unknown command 'rm'",
    ]);
  });

  test('no command names the commands', async () => {
    expectOneLineError(await runServerCliInProcess([], { cwd: dir }), 2, [
      'needs a command',
      'serve',
      'migrate',
    ]);
    expectOneLineError(await runServerCliInProcess(['user'], { cwd: dir }), 2, [
      'needs a command',
      'add',
      'remove',
    ]);
  });

  test('a missing or extra argument', async () => {
    expectOneLineError(await runServerCliInProcess(['user', 'add'], { cwd: dir }), 2, [
      'user add needs a USERNAME',
    ]);
    expectOneLineError(await runServerCliInProcess(['user', 'add', 'a', 'b'], { cwd: dir }), 2, [
      "unexpected argument 'b'",
    ]);
    expectOneLineError(await runServerCliInProcess(['version', 'now'], { cwd: dir }), 2, [
      "unexpected argument 'now'",
    ]);
  });

  test('--help, -h and --version still answer', async () => {
    expect((await runServerCliInProcess(['user', 'add', '--help'], { cwd: dir })).stdout).toContain(
      '--password-stdin',
    );
    expect((await runServerCliInProcess(['serve', '-h'], { cwd: dir })).stdout).toContain('--database');
    const version = runServerCli(['--version'], { cwd: dir });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('a configuration file that does not exist stops with exit 1, naming it', () => {
  test('--config', () => {
    const cwd = workDir('config-flag');
    const run = runServerCli(['serve', '--port', '0', '--config', 'missing.json'], { cwd });
    expectOneLineError(run, 1, ['missing.json', 'does not exist']);
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('DEBMONITOR_CONFIG', async () => {
    const cwd = workDir('config-env');
    const run = await runServerCliInProcess(['migrate'], {
      cwd,
      env: { DEBMONITOR_CONFIG: join(cwd, 'gone.json') },
    });
    expectOneLineError(run, 1, [join(cwd, 'gone.json'), 'does not exist']);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

/** Accounts in a SQLite file; none when the schema does not exist yet. */
function countUsers(file: string): number {
  const client = new SqliteClient(file, { readonly: true });
  try {
    const table = client.query("SELECT name FROM sqlite_master WHERE name = 'users'").get();
    if (!table) return 0;
    return (client.query('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  } finally {
    client.close();
  }
}

describe('serve that cannot listen', () => {
  let blocker: Server | undefined;
  afterAll(() => blocker?.close());

  test('a busy port stops it before it migrates or creates the first admin; the next start prints its password', async () => {
    const listener = createServer();
    blocker = listener;
    const port = await new Promise<number>((resolvePort) =>
      listener.listen(0, '127.0.0.1', () => resolvePort((listener.address() as { port: number }).port)),
    );
    const cwd = workDir('busy-port');
    const file = join(cwd, 'busy.sqlite');
    const run = runServerCli(['serve', '--port', String(port), '--database', `sqlite:${file}`], { cwd });
    expectOneLineError(run, 1, [`127.0.0.1:${port}`, 'already in use']);
    expect(run.stdout + run.stderr).not.toContain('password');
    expect(countUsers(file)).toBe(0);

    const server = await startServerProcess({ cwd, args: ['--database', `sqlite:${file}`] });
    await server.stop();
    expect(server.output()).toContain("Created the superuser 'admin' with the password");
    expect(countUsers(file)).toBe(1);
  });
});

test('TLS files that do not exist stop it before the first admin, naming the file', () => {
  const cwd = workDir('tls-files');
  const file = join(cwd, 'tls.sqlite');
  writeFileSync(
    join(cwd, 'config.json'),
    JSON.stringify({ TLS: { CERT: 'missing.crt', KEY: 'missing.key', CA: 'missing-ca.crt', PORT: 0 } }),
  );
  const run = runServerCli(
    ['serve', '--port', '0', '--config', 'config.json', '--database', `sqlite:${file}`],
    {
      cwd,
    },
  );
  expectOneLineError(run, 1, ['TLS.CERT', 'missing.crt', 'No such file or directory']);
  expect(countUsers(file)).toBe(0);
});

describe('stopping the server', () => {
  test('SIGTERM stops serve with exit 0', async () => {
    const cwd = workDir('sigterm');
    const server = await startServerProcess({
      cwd,
      args: ['--database', `sqlite:${join(cwd, 'db.sqlite')}`],
    });
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain('SIGTERM: shutting down');
  });

  /** True while any process of the group lives. */
  function groupAlive(pgid: number): boolean {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** `npm start` in its own process group (as a terminal runs it), resolved once it listens. */
  async function startNpm(
    cwd: string,
  ): Promise<{ pgid: number; output: () => string; closed: Promise<void> }> {
    const child = spawn(
      'npm',
      ['start', '--silent', '--', '--port', '0', '--database', `sqlite:${join(cwd, 'db.sqlite')}`],
      { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    // Once every pipe is closed, everything the processes wrote has been read.
    const closed = new Promise<void>((resolveClosed) => child.once('close', () => resolveClosed()));
    await new Promise<void>((resolveStart, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen:\n${output}`)), 20_000);
      child.stderr?.on('data', (chunk) => {
        output += chunk;
        if (output.includes('listening on')) {
          clearTimeout(timer);
          resolveStart();
        }
      });
    });
    return { pgid: child.pid ?? 0, output: () => output, closed };
  }

  for (const [label, signal, target] of [
    ['Ctrl-C (SIGINT to the process group)', 'SIGINT', 'group'],
    ['SIGTERM to npm alone', 'SIGTERM', 'npm'],
  ] as const) {
    test(`${label} stops npm start and leaves no process behind`, async () => {
      const npm = await startNpm(workDir(`npm-${signal}`));
      try {
        process.kill(target === 'group' ? -npm.pgid : npm.pgid, signal);
        const deadline = Date.now() + 5000;
        while (groupAlive(npm.pgid) && Date.now() < deadline) await Bun.sleep(50);
        expect(groupAlive(npm.pgid)).toBe(false);
        // The group is gone; the last of its output may still be in the pipe.
        await Promise.race([npm.closed, Bun.sleep(5000)]);
        expect(npm.output()).toContain(`${signal}: shutting down`);
        // The version of package.json, as the build's binaries say (README.md, "Binaries and deployment").
        const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
        expect(npm.output()).toContain(`DebMonitor ${pkg.version} listening on`);
      } finally {
        if (groupAlive(npm.pgid)) process.kill(-npm.pgid, 'SIGKILL');
      }
    }, 30_000);
  }
});
