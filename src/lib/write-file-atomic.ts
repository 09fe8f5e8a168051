/** Writes a file in one step (a temporary file beside it, then a rename) with the mode it must have. */
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createToken } from './tokens.ts';

/**
 * Replaces `path` with `text`, created with `mode` before a byte is written (a key is never readable
 * by others, not even for a moment); a reader sees the old file or the new one, never half of one.
 */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  const temporary = join(dirname(path), `.${createToken(6)}.tmp`);
  try {
    writeFileSync(temporary, text, { mode, flag: 'wx' });
    chmodSync(temporary, mode); // the umask may have taken bits away
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
