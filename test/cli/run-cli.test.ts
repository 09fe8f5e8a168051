/** runCli in-process: how each kind of failure ends (the real process is tested in command-line.test.ts). */
import { describe, expect, test } from 'bun:test';
import { defineCommand } from 'citty';
import { type CliIo, runCli } from '../../src/cli/run-cli.ts';
import { OperatorError } from '../../src/lib/operator-error.ts';

function captureIo(debug = false): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    debug,
    writeStdout: (text: string) => {
      io.stdout += text;
    },
    writeStderr: (text: string) => {
      io.stderr += text;
    },
  };
  return io;
}

function mainThrowing(error: unknown) {
  return defineCommand({
    meta: { name: 'tool', version: '1.2.3' },
    subCommands: {
      fail: defineCommand({
        args: { verbose: { type: 'boolean' } },
        run() {
          throw error;
        },
      }),
    },
  });
}

describe('runCli', () => {
  test("an OperatorError is its message on one line, with the error's exit code", async () => {
    const io = captureIo();
    const code = await runCli(
      mainThrowing(new OperatorError('Nope:\n  two lines', { exitCode: 3 })),
      ['fail'],
      io,
    );
    expect(code).toBe(3);
    expect(io.stderr).toBe('Error: Nope: two lines\n');
  });

  test('an unexpected error is one line with its causes; the stack only with debug', async () => {
    const error = new Error('Failed query: SELECT 1', { cause: new Error('connection lost') });
    const quiet = captureIo();
    expect(await runCli(mainThrowing(error), ['fail'], quiet)).toBe(1);
    expect(quiet.stderr).toBe(
      'Error: Failed query: SELECT 1: connection lost (DEBMONITOR_LOG_LEVEL=debug prints the stack trace)\n',
    );
    const debug = captureIo(true);
    await runCli(mainThrowing(error), ['fail'], debug);
    expect(debug.stderr).toStartWith('Error: Failed query: SELECT 1: connection lost\n');
    expect(debug.stderr).toContain('    at ');
  });

  test('flags are checked before the command runs', async () => {
    const io = captureIo();
    expect(await runCli(mainThrowing(new Error('ran')), ['fail', '--verbsoe'], io)).toBe(2);
    expect(io.stderr).toBe("Error: unknown option '--verbsoe' for tool fail; did you mean '--verbose'?\n");
  });

  test('--version prints the version', async () => {
    const io = captureIo();
    expect(await runCli(mainThrowing(new Error('ran')), ['--version'], io)).toBe(0);
    expect(io.stdout).toBe('1.2.3\n');
  });
});
