/**
 * `debmonitor -n | head -1` and the like: when whoever reads stdout has gone, the agent ends at once
 * with 141 (what shells show for a tool killed by SIGPIPE) and prints no error or stack trace.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ENTRY } from '../helpers/run-agent-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-closed-stdout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const payload = { api_version: 'v1', image_name: 'registry.example.com/image:1', installed: [] };
writeFileSync(join(dir, 'image.json'), JSON.stringify(payload));
// An unknown key, so that the run logs a warning on stderr.
writeFileSync(join(dir, 'debmonitor.conf'), '[DEFAULT]\nunknown_key=1\n');
/** A dry run of an image payload: what `-n` prints, without collecting this machine's packages. */
const DRY_RUN = ['-n', '-f', join(dir, 'image.json'), '--config', join(dir, 'debmonitor.conf')];
const WARNING = `WARNING:debmonitor:Ignoring unknown key(s) in ${join(dir, 'debmonitor.conf')}: unknown_key\n`;

/** Runs the agent from source with its stdout pipe closed before it writes (or its stderr's). */
async function runWithClosed(
  args: string[],
  closed: 'stdout' | 'stderr' = 'stdout',
): Promise<{ exitCode: number; open: string }> {
  const child = Bun.spawn([process.execPath, AGENT_ENTRY, ...args], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, NO_COLOR: '1', DEBMONITOR_SPOOL_DIR: join(dir, 'spool') },
  });
  // Cancelling the stream closes the read end: the child's next write gets EPIPE.
  await (closed === 'stdout' ? child.stdout : child.stderr).cancel();
  const [open, exitCode] = await Promise.all([
    new Response(closed === 'stdout' ? child.stderr : child.stdout).text(),
    child.exited,
  ]);
  return { exitCode, open };
}

describe('with stdout closed early, the agent exits 141 without an error', () => {
  for (const args of [['--version'], ['--help'], ['--self-test', '0123456789abcdef']]) {
    test(args.join(' '), async () => {
      expect(await runWithClosed(args)).toEqual({ exitCode: 141, open: '' });
    });
  }

  test('--check', async () => {
    const args = ['--check', '--config', '/dev/null', '-s', '127.0.0.1', '-p', '9', '--retries', '0'];
    expect(await runWithClosed(args)).toEqual({ exitCode: 141, open: '' });
  });

  test('-n (its log lines still go to stderr)', async () => {
    expect(await runWithClosed(DRY_RUN)).toEqual({ exitCode: 141, open: WARNING });
  });
});

test('with stderr closed early, -n still prints the whole payload and exits 0', async () => {
  const run = await runWithClosed(DRY_RUN, 'stderr');
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.open)).toEqual(payload);
});
