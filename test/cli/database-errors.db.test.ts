/**
 * Database URLs as a new user writes them, and databases that cannot be opened: the file forms of
 * `sqlite:`, and one line naming the problem when the SQLite folder or the MySQL database is missing,
 * the password is wrong or nothing listens. Failures of `migrate` and `user list` run the entry
 * point's command tree in this process; the URL forms and `serve` run as processes.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, runServerCli, runServerCliInProcess } from '../helpers/cli.ts';
import { MYSQL_SERVER_URL } from '../helpers/databases.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-db-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function workDir(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

describe('sqlite URLs', () => {
  test('sqlite://./x.sqlite is x.sqlite in the working directory', () => {
    const cwd = workDir('relative-url');
    const run = runServerCli(['migrate', '--database', 'sqlite://./x.sqlite'], { cwd });
    expect(run.exitCode).toBe(0);
    expect(readdirSync(cwd)).toContain('x.sqlite');
  });

  test('sqlite:///PATH is the absolute PATH', () => {
    const cwd = workDir('absolute-url');
    const run = runServerCli(['migrate', '--database', `sqlite://${join(cwd, 'abs.sqlite')}`], { cwd });
    expect(run.exitCode).toBe(0);
    expect(existsSync(join(cwd, 'abs.sqlite'))).toBe(true);
  });

  test('a file directly in / is refused, saying how to write the URL', async () => {
    const name = `debmonitor-test-${process.pid}.sqlite`;
    for (const url of [`sqlite:///${name}`, `sqlite:/${name}`]) {
      const run = await runServerCliInProcess(['migrate', '--database', url], { cwd: dir });
      expectOneLineError(run, 1, [`/${name}`, 'root directory', 'sqlite:./']);
      expect(existsSync(`/${name}`)).toBe(false);
    }
  });

  test('a folder that does not exist is named', () => {
    const cwd = workDir('no-folder');
    const run = runServerCli(['serve', '--port', '0', '--database', 'sqlite:data/x.sqlite'], { cwd });
    expectOneLineError(run, 1, ['data/x.sqlite', `folder ${join(cwd, 'data')} does not exist`]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('a file that is not a database is named', async () => {
    const cwd = workDir('not-a-database');
    writeFileSync(
      join(cwd, 'notes.txt'),
      'not SQLite at all, just some words that fill a page or so\n'.repeat(80),
    );
    const run = await runServerCliInProcess(['migrate', '--database', 'sqlite:notes.txt'], { cwd });
    expectOneLineError(run, 1, ['notes.txt', 'not a database']);
  });

  test('sqlite: without a path is refused', async () => {
    expectOneLineError(await runServerCliInProcess(['migrate', '--database', 'sqlite:'], { cwd: dir }), 1, [
      'names no file',
    ]);
  });
});

describe('MySQL', () => {
  const server = new URL(MYSQL_SERVER_URL);

  test('a database that does not exist: one line saying how to create it', () => {
    const name = `debmonitor_missing_${process.pid}`;
    const url = `${MYSQL_SERVER_URL}/${name}`;
    const run = runServerCli(['serve', '--port', '0', '--database', url], { cwd: dir });
    expectOneLineError(run, 1, [
      `'${name}' does not exist`,
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;`,
    ]);
  });

  test('a wrong password: one line, without the password', async () => {
    const wrong = new URL(MYSQL_SERVER_URL);
    wrong.password = 'not-the-password';
    const run = await runServerCliInProcess(
      ['migrate', '--database', `${wrong.href.replace(/\/$/, '')}/debmonitor`],
      {
        cwd: dir,
      },
    );
    const line = expectOneLineError(run, 1, [`MySQL at ${server.hostname}:`, 'access denied', 'password']);
    expect(line).not.toContain('not-the-password');
  });

  test('nothing listening: one line, connection refused', async () => {
    // A port that was free a moment ago.
    const probe = createServer();
    const port = await new Promise<number>((resolvePort) =>
      probe.listen(0, '127.0.0.1', () => resolvePort((probe.address() as { port: number }).port)),
    );
    await new Promise((resolveClose) => probe.close(resolveClose));
    const run = await runServerCliInProcess(
      ['user', 'list', '--database', `mysql://root@127.0.0.1:${port}/debmonitor`],
      {
        cwd: dir,
      },
    );
    expectOneLineError(run, 1, [`MySQL at 127.0.0.1:${port}`, 'connection refused']);
  });
});
