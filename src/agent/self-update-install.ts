/**
 * The file-system half of self-update: a temporary file beside the running executable (same file
 * system, so the final rename is atomic), the checks of the new binary, the rename that keeps mode
 * and owner, and the removal of temporary files that interrupted updates left behind.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, lstat, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkElfExecutable } from './elf-check.ts';
import { createSelfTestNonce, getSelfTestAnswer, SELF_TEST_FLAG } from './self-test.ts';

/** A temporary file name beside `executablePath`, hidden and unique to this attempt. */
export function getTemporaryPath(executablePath: string): string {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return join(dirname(executablePath), `.${basename(executablePath)}.update-${suffix}`);
}

/**
 * A leftover whose process is gone is removed once it has not been written to for this long, so a
 * download in progress is never taken, even by a run that cannot see its writer's pid.
 */
const DEAD_OWNER_IDLE_MS = 5 * 60_000;
/** No update takes this long (its download is cut after 10 minutes), whoever has the pid now. */
const ABANDONED_IDLE_MS = 24 * 60 * 60_000;

/**
 * Removes the temporary files of updates that were killed before they finished, beside the real
 * file of `executablePath`: those whose pid (in the name) is not a live process and that have been
 * idle for 5 minutes, and any idle for a day (the pid may have been reused). A concurrent update's
 * file is kept: its process is alive, and it writes the file as it downloads. Returns the paths
 * removed; never throws (a file of another user, say, is left as it is).
 */
export async function removeStaleUpdateFiles(executablePath: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  try {
    const target = await realpath(executablePath);
    const dir = dirname(target);
    const prefix = `.${basename(target)}.update-`;
    for (const name of await readdir(dir)) {
      if (!name.startsWith(prefix)) continue;
      const path = join(dir, name);
      const stats = await lstat(path).catch(() => null);
      if (!stats?.isFile()) continue;
      const idle = now - stats.mtimeMs;
      const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
      const ownerGone = pid !== undefined && idle > DEAD_OWNER_IDLE_MS && !isProcessAlive(Number(pid));
      if (!ownerGone && idle <= ABANDONED_IDLE_MS) continue;
      await unlink(path).then(
        () => removed.push(path),
        () => {}, // another user's file, or one removed meanwhile by a concurrent run
      );
    }
  } catch {
    // An unreadable directory: nothing can be cleaned, and the run goes on.
  }
  return removed;
}

/** True when a process with this pid exists (EPERM: it does, but belongs to another user). */
function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid < 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a file if it exists; never throws (used on every failure path). */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => {});
}

/**
 * Checks that the file at `path` is an agent build of `expectedVersion` for this machine before it
 * may replace the running binary: a whole ELF executable for this CPU (read, not run), then a run of
 * `<path> --self-test <nonce>` that must print the answer only that build can compute. Throws with
 * what it saw otherwise.
 */
export async function checkNewExecutable(
  path: string,
  expectedVersion: string,
  timeoutMs = 15_000,
): Promise<void> {
  await checkElfExecutable(path);
  const nonce = createSelfTestNonce();
  const child = Bun.spawn([path, SELF_TEST_FLAG, nonce], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (exitCode !== 0) {
    const detail = (stderr || stdout).trim().split('\n')[0] ?? '';
    const how = child.signalCode ? `was killed by ${child.signalCode}` : `exited ${exitCode}`;
    throw new Error(`the new binary failed its self-test (${how}${detail ? `: ${detail}` : ''})`);
  }
  const answer = stdout.trim();
  if (answer !== getSelfTestAnswer(nonce, expectedVersion)) {
    const seen = answer.split('\n')[0]!.slice(0, 200);
    throw new Error(
      `the new binary did not answer the self-test of an agent ${expectedVersion} (it printed '${seen}')`,
    );
  }
}

/**
 * Gives `temporaryPath` the mode and owner of `targetPath`, then renames it over the target and
 * flushes the directory, so a crash leaves either the old or the new binary, never a mix.
 */
export async function replaceExecutable(temporaryPath: string, targetPath: string): Promise<void> {
  const target = await stat(targetPath);
  const mine = await stat(temporaryPath);
  if (mine.uid !== target.uid || mine.gid !== target.gid) {
    await chown(temporaryPath, target.uid, target.gid);
  }
  // After chown, which clears set-id bits.
  await chmod(temporaryPath, target.mode & 0o7777);
  await rename(temporaryPath, targetPath);
  await syncDirectory(dirname(targetPath));
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return;
  // Some file systems refuse fsync on a directory; the rename itself has already happened.
  await handle.sync().catch(() => {});
  await handle.close();
}
