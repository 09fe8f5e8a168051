/**
 * Shared set-up of the compiled-binary tests: builds with scripts/build.ts (native target only),
 * runs programs, reads files. The agent is src/agent.ts when it exists, else the test stand-in.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AGENT_ENTRY } from '../../scripts/build.ts';

/** The agent entry the binary tests build: the real agent once it is in the tree. */
export const TEST_AGENT_ENTRY = existsSync(AGENT_ENTRY)
  ? AGENT_ENTRY
  : resolve(import.meta.dir, '../fixtures/fake-agent.ts');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with an empty stdin. */
export async function runProgram(
  command: string[],
  options: { cwd: string; stdin?: string },
): Promise<RunResult> {
  const child = Bun.spawn(command, {
    cwd: options.cwd,
    stdin: options.stdin === undefined ? 'ignore' : new TextEncoder().encode(options.stdin),
    stdout: 'pipe',
    stderr: 'pipe',
    // The agent's spool and lock go to a scratch directory, never to the machine's /var/spool.
    env: {
      ...process.env,
      NO_COLOR: '1',
      DEBMONITOR_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'debmonitor-spool-')),
    },
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** Lowercase hex SHA-256 of a file. */
export async function hashFile(path: string): Promise<string> {
  return new Bun.CryptoHasher('sha256').update(await Bun.file(path).bytes()).digest('hex');
}

/** Names in a directory, sorted (to spot temporary files left behind). */
export function listNames(dir: string): string[] {
  return readdirSync(dir).sort();
}
