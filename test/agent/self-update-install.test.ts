import { afterAll, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { getTemporaryPath, removeStaleUpdateFiles } from '../../src/agent/self-update-install.ts';

/** Above Linux's highest possible pid (2^22), so never a live process. */
const DEAD_PID = 4_194_305;
const MINUTE = 60_000;
const root = mkdtempSync(join(tmpdir(), 'debmonitor-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Creates `name` in `dir`, last written `idleMs` ago. */
function leave(dir: string, name: string, idleMs: number): void {
  const path = join(dir, name);
  writeFileSync(path, 'partial download');
  const when = (Date.now() - idleMs) / 1000;
  utimesSync(path, when, when);
}

test('removes the files of killed updates, and keeps those a running update may still use', async () => {
  const dir = mkdtempSync(join(root, 'bin-'));
  const executable = join(dir, 'debmonitor');
  writeFileSync(executable, 'the running binary');
  const DAY = 24 * 60 * MINUTE;
  // [name, idle time, removed?]
  const files: [string, number, boolean][] = [
    [`.debmonitor.update-${DEAD_PID}-0a0a0a0a`, 10 * MINUTE, true], // its update was killed
    [`.debmonitor.update-${process.pid}-1b1b1b1b`, 2 * DAY, true], // the pid has been reused since
    ['.debmonitor.update-unknown', 2 * DAY, true], // no pid in the name
    [basename(getTemporaryPath(executable)), 0, false], // a live process's update, being written
    [`.debmonitor.update-${process.pid}-2c2c2c2c`, 60 * MINUTE, false], // a live process, stalled
    [`.debmonitor.update-${DEAD_PID}-3d3d3d3d`, MINUTE, false], // a writer this run cannot see
    ['.debmonitor.update-unknown-recent', 60 * MINUTE, false],
    [`.other.update-${DEAD_PID}-4e4e4e4e`, 10 * MINUTE, false], // another program's
    ['.debmonitor.conf', 10 * MINUTE, false],
  ];
  for (const [name, idle] of files) leave(dir, name, idle);
  const directory = join(dir, `.debmonitor.update-${DEAD_PID}-5f5f5f5f`); // not a file
  mkdirSync(directory);
  utimesSync(directory, 0, 0);

  const removed = await removeStaleUpdateFiles(executable);
  const stale = files.filter(([, , gone]) => gone).map(([name]) => name);
  expect(removed.sort()).toEqual(stale.map((name) => join(dir, name)).sort());
  expect(readdirSync(dir).sort()).toEqual(
    ['debmonitor', basename(directory), ...files.filter(([, , gone]) => !gone).map(([name]) => name)].sort(),
  );
});

test('cleans beside the file a symbolic link points to', async () => {
  const dir = mkdtempSync(join(root, 'real-'));
  writeFileSync(join(dir, 'debmonitor-client'), 'the running binary');
  leave(dir, `.debmonitor-client.update-${DEAD_PID}-0a0a0a0a`, 10 * MINUTE);
  const link = join(mkdtempSync(join(root, 'link-')), 'debmonitor');
  symlinkSync(join(dir, 'debmonitor-client'), link);
  expect(await removeStaleUpdateFiles(link)).toEqual([
    join(dir, `.debmonitor-client.update-${DEAD_PID}-0a0a0a0a`),
  ]);
});

test('never throws, even for a missing executable', async () => {
  expect(await removeStaleUpdateFiles(join(root, 'missing', 'debmonitor'))).toEqual([]);
});
