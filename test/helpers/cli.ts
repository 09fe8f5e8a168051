/** Runs `src/server.ts` as a real process and checks that a failure reads as one plain line. */
import { expect } from 'bun:test';
import { resolve } from 'node:path';

export const SERVER_ENTRY = resolve(import.meta.dir, '../../src/server.ts');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `bun src/server.ts <args>` in `cwd`, without the caller's DEBMONITOR_* settings unless given. */
export function runServerCli(args: string[], options: { cwd: string; env?: Record<string, string> }): CliRun {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('DEBMONITOR_')) delete env[key];
  const run = Bun.spawnSync([process.execPath, SERVER_ENTRY, ...args], {
    cwd: options.cwd,
    env: { ...env, NO_COLOR: '1', ...options.env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  return { exitCode: run.exitCode ?? -1, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

/**
 * The run failed with `exitCode`, and stderr is one line holding every one of `words`, with no stack
 * trace, no source excerpt and no file path of the code.
 */
export function expectOneLineError(run: CliRun, exitCode: number, words: string[]): string {
  const lines = run.stderr.replace(/\n$/, '').split('\n');
  expect({ lines, exitCode: run.exitCode }).toEqual({ lines: [expect.stringMatching(/^Error: /)], exitCode });
  const line = lines[0] ?? '';
  for (const word of words) expect(line).toContain(word);
  expect(line).not.toMatch(/\bat .*:\d+:\d+|\.ts:\d+|node_modules|^\s*\d+ \|/);
  expect(line.length).toBeLessThan(400);
  return line;
}
