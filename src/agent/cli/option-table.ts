/**
 * The command-line options of the agent, in one table that drives the argv parser, the config-file keys
 * and the help text, so the three never drift apart.
 */

/** How an option takes its value. `servers` takes one or more values; `action` ends parsing (help, version). */
export type OptionKind = 'flag' | 'int' | 'string' | 'servers' | 'choice' | 'action';

/** One command-line option. `dest` is also its key in `/etc/debmonitor.conf`, unless `cliOnly`. */
export interface OptionSpec {
  dest: string;
  long: string;
  short?: string;
  kind: OptionKind;
  metavar?: string;
  choices?: readonly string[];
  cliOnly?: boolean;
  help: string;
}

/** Every option debmonitor-client accepts, plus `--check`, in help order. */
export const OPTION_TABLE: readonly OptionSpec[] = [
  { dest: 'help', long: 'help', short: 'h', kind: 'action', cliOnly: true, help: 'Show this help and exit.' },
  {
    dest: 'config',
    long: 'config',
    kind: 'string',
    metavar: 'PATH',
    cliOnly: true,
    help: 'INI file with default values in its [DEFAULT] section (default: /etc/debmonitor.conf).',
  },
  {
    dest: 'server',
    long: 'server',
    short: 's',
    kind: 'servers',
    metavar: 'HOST',
    help: 'DebMonitor server(s): HOST, HOST:PORT or https://HOST[:PORT]. Several may follow one -s. Required unless -n.',
  },
  { dest: 'port', long: 'port', short: 'p', kind: 'int', metavar: 'PORT', help: 'TCP port (default: 443).' },
  {
    dest: 'image_name',
    long: 'image-name',
    short: 'i',
    kind: 'string',
    metavar: 'NAME',
    help: 'Report the packages of this system as the container image NAME.',
  },
  {
    dest: 'image_file',
    long: 'image-file',
    short: 'f',
    kind: 'string',
    metavar: 'PATH',
    help: "Send a prepared JSON payload from PATH ('-' for stdin) unchanged.",
  },
  {
    dest: 'cert',
    long: 'cert',
    short: 'c',
    kind: 'string',
    metavar: 'PATH',
    help: 'PEM client certificate for mutual TLS (may also hold the key).',
  },
  {
    dest: 'key',
    long: 'key',
    short: 'k',
    kind: 'string',
    metavar: 'PATH',
    help: 'PEM private key of the client certificate, when not in the --cert file. Requires -c.',
  },
  {
    dest: 'ca',
    long: 'ca',
    kind: 'string',
    metavar: 'PATH',
    help: 'CA bundle that verifies the server (default: the system bundle).',
  },
  {
    dest: 'api',
    long: 'api',
    short: 'a',
    kind: 'choice',
    choices: ['v1'],
    metavar: 'VERSION',
    help: 'API version (default: v1).',
  },
  {
    dest: 'upgradable',
    long: 'upgradable',
    short: 'u',
    kind: 'flag',
    help: 'Send only the pending upgrades (APT::Update::Post-Invoke hook).',
  },
  {
    dest: 'dpkg_hook',
    long: 'dpkg-hook',
    short: 'g',
    kind: 'flag',
    help: 'Read a Dpkg::Pre-Install-Pkgs feed (version 2 or 3) from stdin and send the changes.',
  },
  {
    dest: 'dry_run',
    long: 'dry-run',
    short: 'n',
    kind: 'flag',
    help: 'Print the payload as JSON on stdout and send nothing.',
  },
  {
    dest: 'retries',
    long: 'retries',
    kind: 'int',
    metavar: 'N',
    help: 'Retries of each HTTP request (default: 3).',
  },
  {
    dest: 'retry_backoff',
    long: 'retry-backoff',
    kind: 'int',
    metavar: 'SECONDS',
    help: 'Exponential backoff factor between retries, in seconds (default: 60).',
  },
  {
    dest: 'debug',
    long: 'debug',
    short: 'd',
    kind: 'flag',
    help: 'Log at DEBUG level and show error details.',
  },
  {
    dest: 'check',
    long: 'check',
    kind: 'flag',
    cliOnly: true,
    help: 'Call /auth-check on each server and print the hostname, OS and certificate the agent would use.',
  },
  {
    dest: 'enroll',
    long: 'enroll',
    kind: 'flag',
    cliOnly: true,
    help: "Get a client certificate from the server's built-in CA with --token: the key is made here and never sent; key, certificate (and CA) are written where the configuration says, then --check runs.",
  },
  {
    dest: 'token',
    long: 'token',
    kind: 'string',
    metavar: 'TOKEN',
    cliOnly: true,
    help: 'With --enroll: the token from "debmonitor-server enroll-token create".',
  },
  {
    dest: 'ca_fingerprint',
    long: 'ca-fingerprint',
    kind: 'string',
    metavar: 'SHA256',
    cliOnly: true,
    help: "With --enroll: trust the server's CA whose SHA-256 fingerprint this is (printed by the server's pki init), and write it as the CA.",
  },
  {
    dest: 'update',
    long: 'update',
    kind: 'flag',
    help: 'After a full report, replace this binary with a newer agent from the first server (never in -u/-g runs).',
  },
  {
    dest: 'force_version',
    long: 'force-version',
    kind: 'string',
    metavar: 'VERSION',
    cliOnly: true,
    help:
      'With --update: install exactly this version, even an older one, if the server has it (its ' +
      'current agent, or a build kept in AGENTS_DIR/VERSION/); otherwise the update fails, logged, and the binary stays.',
  },
  { dest: 'version', long: 'version', kind: 'action', cliOnly: true, help: 'Print the version and exit.' },
];

/** Config-file keys that have no command-line option. */
export const CONFIG_ONLY_KEYS = ['hostname', 'os', 'spool_dir', 'renew_days'] as const;

/** Returns the option as argparse names it in messages: `-p/--port` or `--ca`. */
export function formatOptionName(spec: OptionSpec): string {
  return spec.short ? `-${spec.short}/--${spec.long}` : `--${spec.long}`;
}

/** Finds the option with this destination name; throws on a programming error. */
export function getOptionSpec(dest: string): OptionSpec {
  const spec = OPTION_TABLE.find((option) => option.dest === dest);
  if (!spec) throw new Error(`unknown option destination ${dest}`);
  return spec;
}
