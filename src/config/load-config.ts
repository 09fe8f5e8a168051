/**
 * Loads the server configuration: a JSON file (upstream's config.json, path in DEBMONITOR_CONFIG),
 * then overrides from the command line. A wrong type or value stops the start with a message that
 * names the key; an unknown key is only warned about.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as v from 'valibot';
import { OperatorError } from '../lib/operator-error.ts';
import { ldapWarnings } from './ldap-warnings.ts';
import { type Config, ConfigSchema, LdapBlockSchema, type ParsedConfig } from './schema.ts';

export const DEFAULT_SQLITE_PATH = './debmonitor.sqlite';
export const DEFAULT_PKI_DIR = '/var/lib/debmonitor/pki';

/** A configuration problem the operator must fix; the message says what and where. */
export class ConfigError extends OperatorError {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Path of the JSON file; defaults to $DEBMONITOR_CONFIG. No file means all defaults. */
  path?: string;
  /** Values that win over the file (command-line flags, tests). */
  overrides?: Record<string, unknown>;
  /** Receives warnings such as unknown keys. */
  warn?: (message: string) => void;
}

/** Reads, validates and freezes the configuration. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const path = options.path ?? process.env.DEBMONITOR_CONFIG;
  let fromFile: Record<string, unknown> = {};
  if (path) {
    if (!existsSync(path)) throw new ConfigError(`Configuration file ${path} does not exist`);
    fromFile = parseJsonObject(readFileSync(path, 'utf8'), path);
  }
  return parseConfig({ ...fromFile, ...(options.overrides ?? {}) }, options.warn, path ?? 'configuration', {
    withoutFile: !path,
  });
}

/** Validates a configuration object (already merged) into a frozen Config. */
export function parseConfig(
  input: Record<string, unknown>,
  warn: (message: string) => void = (message) => console.warn(message),
  source = 'configuration',
  options: { withoutFile?: boolean } = {},
): Config {
  const known = new Set(Object.keys(ConfigSchema.entries));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) warn(`${source}: unknown key '${key}' is ignored (check its spelling)`);
  }
  const result = v.safeParse(ConfigSchema, input);
  if (!result.success) {
    const messages = result.issues.map((issue) => {
      const key = v.getDotPath(issue) ?? '(top level)';
      return `${key}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid ${source}: ${messages.join('; ')}`);
  }
  const parsed = result.output;
  if (parsed.LDAP && parsed.CAS) {
    warn(`${source}: both CAS and LDAP are configured; sign-in goes through CAS and LDAP is ignored`);
  } else if (parsed.LDAP) {
    for (const message of ldapWarnings(parsed.LDAP, source, new Set(Object.keys(LdapBlockSchema.entries)))) {
      warn(message);
    }
  }
  const databaseUrl = resolveDatabaseUrl(parsed);
  const autoTls = parsed.TLS
    ? false
    : (parsed.AUTO_TLS ?? (options.withoutFile === true && isSqliteFile(databaseUrl)));
  return Object.freeze({ ...parsed, databaseUrl, pkiDir: resolvePkiDir(parsed, databaseUrl), autoTls });
}

/** A SQLite database in a file (the embedded default), not in memory and not MySQL. */
function isSqliteFile(databaseUrl: string): boolean {
  return databaseUrl.startsWith('sqlite:') && databaseUrl !== 'sqlite::memory:';
}

/** DATABASE_URL wins; then upstream's MYSQL block, then SQLITE.FILE, then the embedded default. */
export function resolveDatabaseUrl(config: ParsedConfig): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  if (config.MYSQL) {
    const { DB_USER, DB_PASSWORD, DB_HOST, DB_PORT, DB_NAME } = config.MYSQL;
    const auth = `${encodeURIComponent(DB_USER)}:${encodeURIComponent(DB_PASSWORD)}`;
    return `mysql://${auth}@${DB_HOST}:${DB_PORT}/${encodeURIComponent(DB_NAME)}`;
  }
  if (config.SQLITE) return `sqlite:${config.SQLITE.FILE}`;
  return `sqlite:${DEFAULT_SQLITE_PATH}`;
}

/** Where the built-in CA lives when PKI_DIR is not set: beside a SQLite file, else a system folder. */
export function resolvePkiDir(config: ParsedConfig, databaseUrl: string): string {
  if (config.PKI_DIR) return config.PKI_DIR;
  const sqlitePath = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  if (sqlitePath && sqlitePath !== ':memory:') return join(dirname(sqlitePath), 'pki');
  return DEFAULT_PKI_DIR;
}

function parseJsonObject(text: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Configuration file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`Configuration file ${path} must contain a JSON object`);
  }
  return value as Record<string, unknown>;
}
