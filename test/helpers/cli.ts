/**
 * Runs `src/server.ts` as a real process (or its command tree in this process) and checks that a
 * failure reads as one plain line.
 */
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

/**
 * `debmonitor-server <args>` run in this process: runCli on src/server.ts's command tree, in `cwd`,
 * with the environment runServerCli gives the process, capturing what the command and runCli print
 * (console, process.stdout/stderr, the logger) and the exit code the entry point would exit with.
 * For argument parsing and messages, at a fraction of a process's cost; what only a process shows
 * (the exit itself, no stack trace from Bun, closed pipes, signals) stays with runServerCli. Only
 * for commands that end: a `serve` that starts would keep listening in the test process.
 */
export async function runServerCliInProcess(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const [{ main }, { runCli }] = await Promise.all([
    import('../../src/server.ts'),
    import('../../src/cli/run-cli.ts'),
  ]);
  const output = { stdout: '', stderr: '' };
  const text = (values: unknown[]) => `${values.map((value) => String(value)).join(' ')}\n`;
  const chunk = (value: unknown) =>
    typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString();
  const saved = {
    log: console.log,
    error: console.error,
    warn: console.warn,
    info: console.info,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    cwd: process.cwd(),
    env: { ...process.env },
  };
  console.log = console.info = (...values: unknown[]) => {
    output.stdout += text(values);
  };
  console.error = console.warn = (...values: unknown[]) => {
    output.stderr += text(values);
  };
  process.stdout.write = ((value: unknown) => {
    output.stdout += chunk(value);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((value: unknown) => {
    output.stderr += chunk(value);
    return true;
  }) as typeof process.stderr.write;
  for (const key of Object.keys(process.env)) if (key.startsWith('DEBMONITOR_')) delete process.env[key];
  Object.assign(process.env, { NO_COLOR: '1', ...options.env });
  process.chdir(options.cwd);
  try {
    const exitCode = await runCli(main, args, {
      writeStdout: (value) => {
        output.stdout += value;
      },
      writeStderr: (value) => {
        output.stderr += value;
      },
      debug: false,
    });
    return { exitCode, ...output };
  } finally {
    process.chdir(saved.cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    console.log = saved.log;
    console.error = saved.error;
    console.warn = saved.warn;
    console.info = saved.info;
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
  }
}
