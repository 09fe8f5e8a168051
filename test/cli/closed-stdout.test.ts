/**
 * `debmonitor-server user list | head -1` and the like: a closed stdout must not end in an EPIPE
 * stack trace. The server's commands print with console.log, which Bun lets fail quietly; this keeps
 * it so. The command goes on to its end (a gc is not cut short) and exits 0.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ENTRY = resolve(import.meta.dir, '../../src/server.ts');
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-server-closed-stdout-'));
const database = `sqlite:${join(dir, 'debmonitor.sqlite')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `debmonitor-server <args>` with its stdout pipe closed before it writes. */
async function runWithClosedStdout(args: string[]): Promise<{ exitCode: number; stderr: string }> {
  const child = Bun.spawn([process.execPath, ENTRY, ...args], {
    cwd: dir,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, NO_COLOR: '1' },
  });
  await child.stdout.cancel();
  const [stderr, exitCode] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  return { exitCode, stderr };
}

beforeAll(async () => {
  for (const args of [['migrate'], ['user', 'add', 'alice'], ['user', 'add', 'bob']]) {
    const run = Bun.spawnSync([process.execPath, ENTRY, ...args, '--database', database], { cwd: dir });
    if (run.exitCode !== 0) throw new Error(`${args.join(' ')}: ${run.stderr.toString()}`);
  }
}, 60_000);

for (const args of [['version'], ['--help'], ['user', 'list'], ['user', 'add', 'carol'], ['gc']]) {
  test(args.join(' '), async () => {
    const withDatabase =
      args[0] === 'version' || args[0] === '--help' ? args : [...args, '--database', database];
    expect(await runWithClosedStdout(withDatabase)).toEqual({ exitCode: 0, stderr: '' });
  });
}

test('the command still does its work: the user added with a closed stdout exists', async () => {
  const run = Bun.spawnSync([process.execPath, ENTRY, 'user', 'list', '--database', database], { cwd: dir });
  expect(run.stdout.toString()).toContain('carol');
});
