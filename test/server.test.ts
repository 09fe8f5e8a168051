/** The server entry point, run as a real process. */
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServerProcess } from './helpers/server-process.ts';

const ENTRY = resolve(import.meta.dir, '../src/server.ts');
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('debmonitor-server serve', () => {
  test('starts on the embedded SQLite default, migrates and answers /healthz', async () => {
    const server = await startServerProcess({ cwd: dir, args: [] });
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('OK');
      expect(existsSync(join(dir, 'debmonitor.sqlite'))).toBe(true);
      expect(server.output()).toContain('Applied migrations: 0000_init');
    } finally {
      await server.stop();
    }
  });

  test('a second start finds the schema up to date', async () => {
    const server = await startServerProcess({ cwd: dir, args: [] });
    await server.stop();
    expect(server.output()).not.toContain('Applied migrations');
  });

  test('says at start what VERIFY_CLIENTS off means for agents', async () => {
    const path = join(dir, 'open.json');
    writeFileSync(
      path,
      JSON.stringify({ VERIFY_CLIENTS: false, DATABASE_URL: `sqlite:${join(dir, 'open.sqlite')}` }),
    );
    const server = await startServerProcess({ cwd: dir, args: ['--config', path] });
    await server.stop();
    expect(server.output()).toContain(
      'WARN VERIFY_CLIENTS is off: reports, deletions and /auth-check are accepted from any client without a certificate or sign-in',
    );
  });

  test('a bad configuration stops the start with a message naming the key', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ VERIFY_CLIENTS: 'perhaps' }));
    const run = Bun.spawnSync([process.execPath, ENTRY, 'serve', '--config', path], {
      cwd: dir,
      stderr: 'pipe',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.toString()).toContain('VERIFY_CLIENTS');
  });
});

describe('debmonitor-server migrate', () => {
  test('creates the schema and says so, then finds it up to date', () => {
    const url = `sqlite:${join(dir, 'migrate.sqlite')}`;
    const first = Bun.spawnSync([process.execPath, ENTRY, 'migrate', '--database', url], { cwd: dir });
    expect(first.stdout.toString()).toContain('Applied migrations: 0000_init');
    const second = Bun.spawnSync([process.execPath, ENTRY, 'migrate', '--database', url], { cwd: dir });
    expect(second.stdout.toString()).toContain('up to date');
  });
});

describe('--help', () => {
  for (const command of ['serve', 'migrate', 'version']) {
    test(`${command} --help describes the command`, () => {
      const run = Bun.spawnSync([process.execPath, ENTRY, command, '--help'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(run.exitCode).toBe(0);
      expect(run.stdout.toString()).toContain(`debmonitor-server ${command}`);
    });
  }
});
