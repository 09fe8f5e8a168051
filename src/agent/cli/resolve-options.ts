/**
 * Turns the parsed command line and the config file into one typed, validated options object, applying
 * legacy's checks in their order. Command line wins over the config, which wins over the built-in
 * defaults. Certificate, key and CA files are only paths here: they are read when sending.
 */
import { readFileSync } from 'node:fs';
import { describeFileError } from '../../lib/describe-file-error.ts';
import { type ConfigValues, DEFAULT_CONFIG_PATH, loadConfig } from '../config/load-config.ts';
import { UsageError } from '../errors.ts';
import { parseServerAddress } from '../submit/server-address.ts';
import { CONFIG_ONLY_KEYS, formatOptionName, getOptionSpec, OPTION_TABLE } from './option-table.ts';
import type { ParsedArgv, RawOptionValue } from './parse-argv.ts';

/** Where failed reports wait for the next run, unless `spool_dir` or DEBMONITOR_SPOOL_DIR says otherwise. */
export const DEFAULT_SPOOL_DIR = '/var/spool/debmonitor-client';

/** Everything a run needs to know, validated. */
export interface AgentOptions {
  configPath: string;
  servers: string[];
  port: number;
  imageName?: string;
  /** The `-f` file name and its parsed JSON, loaded while the options are resolved (as legacy does). */
  imageFile?: string;
  imagePayload?: unknown;
  cert?: string;
  key?: string;
  ca?: string;
  api: string;
  upgradable: boolean;
  dpkgHook: boolean;
  dryRun: boolean;
  retries: number;
  retryBackoff: number;
  debug: boolean;
  check: boolean;
  /** Replace the binary with a newer agent from the first server after a full run (issue 7). */
  update: boolean;
  /** With `update`: install exactly this version, even an older one. */
  forceVersion?: string;
  /** `--enroll`: get a certificate with `token` (docs/agent.md, "Enrollment"). */
  enroll: boolean;
  token?: string;
  /** With `enroll`: the SHA-256 fingerprint of the CA to trust and write. */
  caFingerprint?: string;
  /** A full run renews the certificate when it ends within this many days; 0 never (config `renew_days`). */
  renewDays: number;
  /** Overrides of the collected values (config keys `hostname` and `os`). */
  hostname?: string;
  os?: string;
  spoolDir: string;
  /**
   * True when -g or -u runs with no server configured: the run ends quietly (docs/agent.md, "APT and
   * dpkg hooks").
   */
  unconfiguredHook: boolean;
  /** Config keys this agent does not know (already warned about through `ResolveOptionsIo.warn`). */
  unknownConfigKeys: string[];
}

/** What option resolution reads besides argv and the config file. */
export interface ResolveOptionsIo {
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /**
   * Told about unknown configuration keys as soon as the file is read, before any other check or
   * step of the run (a misspelt `server=` would otherwise first show as "server is required").
   */
  warn?: (message: string) => void;
}

const TRUE_WORDS = new Set(['1', 'yes', 'true', 'on']);
const FALSE_WORDS = new Set(['0', 'no', 'false', 'off', '']);

/** Resolves and validates the options of one run; throws UsageError (exit 2) on the first problem. */
export async function resolveOptions(parsed: ParsedArgv, io: ResolveOptionsIo): Promise<AgentOptions> {
  const cli = parsed.values;
  const configPath = (cli.get('config') as string | undefined) ?? DEFAULT_CONFIG_PATH;
  const config = loadConfig(configPath);
  const unknownConfigKeys = [...config.keys()].filter((key) => !KNOWN_CONFIG_KEYS.has(key));
  if (unknownConfigKeys.length > 0) io.warn?.(describeUnknownKeys(configPath, unknownConfigKeys));

  const pick = (dest: string): RawOptionValue | undefined => cli.get(dest) ?? config.get(dest);
  const readString = (dest: string): string | undefined => {
    const value = pick(dest);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  const port = readInteger('port', pick('port'), 443);
  const imageFile = readString('image_file');
  const imagePayload = imageFile === undefined ? undefined : await loadImageFile(imageFile, io);
  const api = readString('api') ?? 'v1';
  if (!getOptionSpec('api').choices!.includes(api)) {
    throw new UsageError(`argument -a/--api: invalid choice: '${api}' (choose from 'v1')`);
  }
  const retries = readInteger('retries', pick('retries'), 3);
  const retryBackoff = readInteger('retry_backoff', pick('retry_backoff'), 60);
  const upgradable = readBoolean('upgradable', cli, config);
  const dpkgHook = readBoolean('dpkg_hook', cli, config);
  const dryRun = readBoolean('dry_run', cli, config);
  const debug = readBoolean('debug', cli, config);
  const servers = readServers(pick('server'));
  for (const server of servers) {
    try {
      parseServerAddress(server, port);
    } catch (error) {
      throw new UsageError(`argument -s/--server: ${(error as Error).message}`);
    }
  }

  let unconfiguredHook = false;
  if (servers.length === 0 && !dryRun) {
    // A host with the package installed but not configured must not print an error on every apt run.
    if (upgradable || dpkgHook) unconfiguredHook = true;
    else throw new UsageError('argument -s/--server is required unless -n/--dry-run is set');
  }
  const cert = readString('cert');
  const key = readString('key');
  if (key !== undefined && cert === undefined) {
    throw new UsageError('argument -c/--cert is required when -k/--key is set');
  }
  if (readString('force_version') !== undefined && !readBoolean('update', cli, config)) {
    throw new UsageError('argument --force-version requires --update');
  }
  const enroll = cli.get('enroll') === true;
  // Command line only: a token in a configuration file would outlive its one use.
  const cliString = (dest: string) => {
    const value = cli.get(dest);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const token = cliString('token');
  const caFingerprint = cliString('ca_fingerprint');
  if (enroll && token === undefined) throw new UsageError('argument --enroll requires --token');
  if (!enroll && (token !== undefined || caFingerprint !== undefined)) {
    throw new UsageError(
      `argument ${token !== undefined ? '--token' : '--ca-fingerprint'} requires --enroll`,
    );
  }
  if (enroll && (dryRun || upgradable || dpkgHook || imageFile !== undefined || readString('image_name'))) {
    throw new UsageError('argument --enroll cannot be combined with -n, -u, -g, -i or -f');
  }
  if (upgradable && dpkgHook) {
    throw new UsageError('argument -u/--upgradable and -g/--dpkg-hook are mutually exclusive');
  }

  return {
    configPath,
    servers,
    port,
    imageName: readString('image_name'),
    imageFile,
    imagePayload,
    cert,
    key,
    ca: readString('ca'),
    api,
    upgradable,
    dpkgHook,
    dryRun,
    retries,
    retryBackoff,
    debug,
    check: cli.get('check') === true,
    update: readBoolean('update', cli, config),
    enroll,
    token,
    caFingerprint,
    renewDays: readInteger('renew_days', config.get('renew_days'), 0),
    forceVersion: readString('force_version'),
    hostname: config.get('hostname') || undefined,
    os: config.get('os') || undefined,
    spoolDir: io.env.DEBMONITOR_SPOOL_DIR || config.get('spool_dir') || DEFAULT_SPOOL_DIR,
    unconfiguredHook,
    unknownConfigKeys,
  };
}

/** The keys a configuration file may set. */
const KNOWN_CONFIG_KEYS: ReadonlySet<string> = new Set<string>([
  ...OPTION_TABLE.filter((option) => !option.cliOnly).map((option) => option.dest),
  ...CONFIG_ONLY_KEYS,
]);

/** The warning about unknown keys, each with the known key it most likely misspells. */
export function describeUnknownKeys(configPath: string, keys: readonly string[]): string {
  const described = keys.map((key) => {
    const guess = guessKnownKey(key);
    return guess ? `${key} (did you mean ${guess}?)` : key;
  });
  return `Ignoring unknown key(s) in ${configPath}: ${described.join(', ')}`;
}

/**
 * The known key within two edits of `key` (one for keys of up to four letters; hyphens read as
 * underscores), if exactly one is closest.
 */
function guessKnownKey(key: string): string | undefined {
  const wanted = key.replaceAll('-', '_');
  let best: string | undefined;
  let bestDistance = wanted.length <= 4 ? 2 : 3;
  let tie = false;
  for (const known of KNOWN_CONFIG_KEYS) {
    const distance = editDistance(wanted, known);
    if (distance < bestDistance) [best, bestDistance, tie] = [known, distance, false];
    else if (distance === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

/** Levenshtein distance of two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Converts an integer option like argparse's `type=int`: decimal digits with an optional sign only. */
function readInteger(dest: string, value: RawOptionValue | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // A config-only key has no option to name: its key is named instead.
  const name = OPTION_TABLE.some((option) => option.dest === dest)
    ? `argument ${formatOptionName(getOptionSpec(dest))}`
    : `configuration key '${dest}'`;
  const text = String(value).trim();
  if (!/^[-+]?\d+$/.test(text)) throw new UsageError(`${name}: invalid int value: '${value}'`);
  const number = Number.parseInt(text, 10);
  if (number < 0) throw new UsageError(`${name}: must not be negative: '${value}'`);
  return number;
}

/** A flag is on when given on the command line, or when the config says yes/true/on/1. */
function readBoolean(dest: string, cli: Map<string, RawOptionValue>, config: ConfigValues): boolean {
  if (cli.get(dest) === true) return true;
  const value = config.get(dest);
  if (value === undefined) return false;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new UsageError(
    `configuration key '${dest}' must be a boolean (yes/no, true/false, on/off, 1/0), got '${value}'`,
  );
}

/** Collects servers from repeated `-s` values or the comma-separated config value, trimmed. */
function readServers(value: RawOptionValue | undefined): string[] {
  if (value === undefined || value === true) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((item) => item.split(',').map((part) => part.trim())).filter((part) => part !== '');
}

/** Loads the `-f` payload (`-` reads stdin) with legacy's messages; an empty or falsy document is refused. */
async function loadImageFile(path: string, io: ResolveOptionsIo): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await io.readStdin() : readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`argument -f/--image-file: can't open '${path}': ${describeFileError(error)}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `argument -f/--image-file: Failed to load JSON file '${path}': ${(error as Error).message}`,
    );
  }
  if (!payload || (typeof payload === 'object' && Object.keys(payload).length === 0)) {
    throw new UsageError(`argument -f/--image-file: the JSON file '${path}' holds no payload`);
  }
  return payload;
}
