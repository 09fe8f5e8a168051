/**
 * Adds keys to the `[DEFAULT]` section of the configuration file, after `--enroll` wrote files the
 * next runs must find. Keys the file sets already are left as they are; nothing else changes.
 */
import { readFileSync, statSync } from 'node:fs';
import { describeFileError } from '../../lib/describe-file-error.ts';
import { writeFileAtomic } from '../../lib/write-file-atomic.ts';
import { AgentError } from '../errors.ts';
import { loadConfig } from './load-config.ts';

/** Adds each key of `entries` the file does not set; returns the `key=value` lines added. */
export function addMissingConfigKeys(path: string, entries: ReadonlyArray<[string, string]>): string[] {
  const present = loadConfig(path);
  const lines = entries.filter(([key]) => !present.has(key)).map(([key, value]) => `${key}=${value}`);
  if (lines.length === 0) return [];
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // no file yet: it is created
  }
  const block = `# Added by debmonitor --enroll\n${lines.join('\n')}\n`;
  const header = /^\[DEFAULT\][ \t]*$/im.exec(text);
  let updated: string;
  if (!header) {
    updated = `[DEFAULT]\n${block}${text ? `\n${text}` : ''}`;
  } else {
    // At the end of [DEFAULT]: before the next section header, or at the end of the file.
    const afterHeader = header.index + header[0].length;
    const next = /^\[[^\]]*\][ \t]*$/m.exec(text.slice(afterHeader));
    const at = next ? afterHeader + next.index : text.length;
    const before = text.slice(0, at);
    updated = `${before}${before.endsWith('\n') ? '' : '\n'}${block}${next ? '\n' : ''}${text.slice(at)}`;
  }
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    // a new file
  }
  try {
    writeFileAtomic(path, updated, mode);
  } catch (error) {
    throw new AgentError(`Unable to update the configuration ${path}: ${describeFileError(error)}`);
  }
  return lines;
}
