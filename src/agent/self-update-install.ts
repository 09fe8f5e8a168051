/**
 * The file-system half of self-update: a temporary file beside the running executable (same file
 * system, so the final rename is atomic), a start check, and the rename that keeps mode and owner.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary file name beside `executablePath`, hidden and unique to this attempt. */
export function getTemporaryPath(executablePath: string): string {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return join(dirname(executablePath), `.${basename(executablePath)}.update-${suffix}`);
}

/** Removes a file if it exists; never throws (used on every failure path). */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => {});
}

/**
 * Runs `<path> --version` and checks that it exits 0 and prints `expectedVersion` as a word (the
 * agent prints `debmonitor-client <version>`). Throws with what it saw otherwise.
 */
export async function checkExecutableStarts(
  path: string,
  expectedVersion: string,
  timeoutMs = 15_000,
): Promise<void> {
  const child = Bun.spawn([path, '--version'], {
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
    throw new Error(
      `the new binary did not start (--version exited ${exitCode}${detail ? `: ${detail}` : ''})`,
    );
  }
  if (!stdout.trim().split(/\s+/).includes(expectedVersion)) {
    throw new Error(`the new binary reports '${stdout.trim()}', expected version ${expectedVersion}`);
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
