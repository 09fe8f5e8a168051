/**
 * Reads the `[DEFAULT]` section of `/etc/debmonitor.conf`. Values stay strings here: they are converted
 * by the same code as command-line values, so both give the same messages.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { IniSyntaxError, parseIni } from './parse-ini.ts';

/** Where the configuration is read from when `--config` is not given. */
export const DEFAULT_CONFIG_PATH = '/etc/debmonitor.conf';

/** The `[DEFAULT]` values of a config file, with lower-cased keys. */
export type ConfigValues = Map<string, string>;

/**
 * Loads the `[DEFAULT]` section of `path`. A missing or unreadable file gives no values, as in legacy
 * (a host without a config still runs with command-line options); a syntax error is a usage error.
 */
export function loadConfig(path: string): ConfigValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return new Map();
  }
  try {
    return parseIni(text).get('DEFAULT') ?? new Map();
  } catch (error) {
    if (error instanceof IniSyntaxError) {
      throw new UsageError(`Unable to parse configuration file ${path}: ${error.message}`);
    }
    throw error;
  }
}
