#!/usr/bin/env bun
/** debmonitor-server: the entry point. Parses arguments, loads configuration, calls one function. */
import { defineCommand } from 'citty';
import { createCveCommand } from './cli/cve-command.ts';
import { createEnrollTokenCommand } from './cli/enroll-token-command.ts';
import { createPkiCommand } from './cli/pki-command.ts';
import { runCli, UsageError } from './cli/run-cli.ts';
import { createUserCommand } from './cli/user-command.ts';
import { loadConfig } from './config/load-config.ts';
import { type Config, DEFAULT_TLS_PORT } from './config/schema.ts';
import { migrate } from './db/migrate.ts';
import { type Database, openDatabase } from './db/open-database.ts';
import { createLogger } from './lib/logger.ts';
import { OperatorError } from './lib/operator-error.ts';
import { VERSION } from './lib/version.ts';
import { ensureLocalCa } from './pki/local-ca.ts';
import { pkiPaths } from './pki/pki-files.ts';
import { recountPackageCounts } from './store/counts/package-count-fold.ts';
import { startFeedRefresh } from './store/cve/feed-refresh.ts';
import { collectGarbage } from './store/gc.ts';
import { createStore } from './store/store.ts';
import { locateAgents } from './web/agents/agents-dir.ts';
import { stopDevAgentBuild } from './web/agents/dev-agent-build.ts';
import { createApp } from './web/app.ts';
import { ensureInitialAdmin } from './web/auth/initial-admin.ts';
import { ListenError, startServer } from './web/start-server.ts';
import { startTlsServer } from './web/tls-server.ts';

const log = createLogger(process.env.DEBMONITOR_LOG_LEVEL === 'debug' ? 'debug' : 'info');

/** Names the project to the security tracker, whose admins ask feed clients for one (docs/cve.md). */
const FEED_USER_AGENT = `DebMonitor-on-Bun/${VERSION} (debmonitor-server cve import)`;

const commonArgs = {
  config: {
    type: 'string',
    description: 'Path of the JSON configuration file (default: $DEBMONITOR_CONFIG; none means defaults)',
  },
  database: {
    type: 'string',
    description: 'Database URL, sqlite:PATH or mysql://USER:PASS@HOST:PORT/DB (overrides the configuration)',
  },
} as const;

function readConfig(
  args: { config?: string; database?: string },
  extra: Record<string, unknown> = {},
): Config {
  const overrides: Record<string, unknown> = { ...extra };
  const databaseUrl = args.database ?? process.env.DEBMONITOR_DATABASE_URL;
  if (databaseUrl) overrides.DATABASE_URL = databaseUrl;
  return loadConfig({ path: args.config, overrides, warn: (message) => log.warn(message) });
}

async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.databaseUrl, { logQueries: config.LOG_DB_QUERIES, log });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const serve = defineCommand({
  meta: { name: 'serve', description: 'Serve the agent API and the web interface' },
  args: {
    ...commonArgs,
    host: { type: 'string', description: 'Listen address (default 127.0.0.1, or LISTEN_ADDRESS)' },
    port: { type: 'string', description: 'Listen port (default 8080, or LISTEN_PORT)' },
    'tls-port': {
      type: 'string',
      description: 'TLS port for agents (default 8443, or TLS.PORT; 0 with --port 0)',
    },
    migrate: {
      type: 'boolean',
      default: true,
      description: 'Apply database migrations at start (--no-migrate to skip)',
    },
    'auto-tls': {
      type: 'boolean',
      description:
        'Without a TLS block, make the built-in CA in PKI_DIR and listen with TLS for agents (default: on without a configuration file, on SQLite)',
    },
  },
  async run({ args }) {
    const extra: Record<string, unknown> = {};
    if (args.host) extra.LISTEN_ADDRESS = args.host;
    if (args.port) extra.LISTEN_PORT = parsePort(args.port, '--port');
    if (args.migrate === false) extra.MIGRATE_ON_START = false;
    if (typeof args['auto-tls'] === 'boolean') extra.AUTO_TLS = args['auto-tls'];
    const config = readConfig(args, extra);
    const tlsPort = args['tls-port'] ? parsePort(args['tls-port'], '--tls-port') : undefined;
    const database = await openDatabase(config.databaseUrl, { logQueries: config.LOG_DB_QUERIES, log });
    // Listen before anything changes the database: a busy port must stop the start before the first
    // admin is created, or its one-time password would be lost. Requests wait until `ready`.
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const store = createStore(database);
    let listeningTlsPort: number | undefined;
    const app = createApp({ config, store, log, agentTlsPort: () => listeningTlsPort });
    const server = startServer(app, {
      hostname: config.LISTEN_ADDRESS,
      port: config.LISTEN_PORT,
      maxRequestBodySize: config.MAX_REPORT_BYTES + 1024 * 1024,
      ready,
    });
    // After the database opened and the HTTP port was bound: a start that fails there makes no CA.
    const tlsFiles = await resolveTlsFiles(config, tlsPort);
    if (tlsPort !== undefined && !tlsFiles) {
      log.warn('--tls-port is ignored: there is no TLS listener (no TLS block, and AUTO_TLS is off)');
    }
    const tlsServer = tlsFiles
      ? await startTlsServer(app, {
          hostname: config.LISTEN_ADDRESS,
          port: tlsFiles.port,
          certPath: tlsFiles.certPath,
          keyPath: tlsFiles.keyPath,
          caPath: tlsFiles.caPath,
          isRevoked: (serial) => store.revocations.isRevoked(serial),
          maxRequestBodySize: config.MAX_REPORT_BYTES + 1024 * 1024,
          ready,
        }).catch((error: unknown) => {
          if (!(error instanceof ListenError) || !config.autoTls) throw error;
          throw new OperatorError(
            `${error.message} (the TLS port for agents: --tls-port N moves it, --no-auto-tls turns it off)`,
            { cause: error },
          );
        })
      : undefined;
    listeningTlsPort = tlsServer?.port;
    for (const note of tlsFiles?.notes ?? []) log.info(note);
    if (config.MIGRATE_ON_START) {
      const applied = await migrate(database);
      if (applied.length > 0) log.info(`Applied migrations: ${applied.join(', ')}`);
    }
    await ensureInitialAdmin(database, config, log);
    // Folds the package count deltas that reports append where writers run concurrently (MySQL;
    // src/store/counts/package-count-writer.ts); safe with several instances on one database.
    const fold = store.counts.startFolding({ log });
    // Re-imports the security tracker's feed (CVE_REFRESH_HOURS, 0 = off); one instance at a time.
    const feedRefresh = startFeedRefresh(database, {
      from: config.CVE_FEED_URL,
      userAgent: FEED_USER_AGENT,
      intervalHours: config.CVE_REFRESH_HOURS,
      log,
    });
    markReady();
    // `npm start` on a fresh clone (the quickstart): the agent the Agent page offers is built from
    // source now, while the user signs in, rather than when the page is first opened.
    if (config.autoTls && !config.AGENTS_DIR && process.env.npm_lifecycle_event === 'start') {
      void locateAgents(undefined, log);
    }
    const shutdown = async (signal: string) => {
      log.info(`${signal}: shutting down`);
      try {
        stopDevAgentBuild();
        await tlsServer?.stop();
        await server.stop();
        await fold?.stop();
        await feedRefresh?.stop();
        await database.close();
      } catch (error) {
        log.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      }
      process.exit(0);
    };
    // Installed before "listening on" is logged: whoever waits for that line may signal at once.
    // A second signal while stopping ends the process at once, unless it is the same signal within a
    // second: Ctrl-C on `npm start` reaches the server twice, from the terminal and forwarded by npm.
    let stopping: { signal: string; at: number } | undefined;
    const onSignal = (signal: string) => {
      if (!stopping) {
        stopping = { signal, at: Date.now() };
        void shutdown(signal);
      } else if (signal !== stopping.signal || Date.now() - stopping.at > 1000) {
        log.warn(`${signal} again: stopping now`);
        process.exit(1);
      }
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    log.info(`DebMonitor ${VERSION} listening on ${server.url} (database ${database.location})`);
    if (!config.VERIFY_CLIENTS) {
      log.warn(
        'VERIFY_CLIENTS is off: reports, deletions and /auth-check are accepted from any client ' +
          'without a certificate or sign-in; a report is recorded under the host or image its URL names ' +
          '(each report log line gives the sender address)',
      );
    }
    if (tlsServer) log.info(`TLS with client certificates on ${tlsServer.url}`);
    if (tlsServer && config.autoTls) {
      log.info(
        `Agents enroll over TLS with the built-in CA of ${pkiPaths(config.pkiDir).dir}: sign in and open ${server.url}/agent/ for the command (--no-auto-tls or AUTO_TLS: false turns this off)`,
      );
    }
  },
});

/** Where the TLS listener for agents gets its files: the TLS block, or with AUTO_TLS the local CA. */
async function resolveTlsFiles(
  config: Config,
  tlsPort: number | undefined,
): Promise<{ port: number; certPath: string; keyPath: string; caPath: string; notes: string[] } | undefined> {
  if (config.TLS) {
    const { CERT, KEY, CA, PORT } = config.TLS;
    return { port: tlsPort ?? PORT, certPath: CERT, keyPath: KEY, caPath: CA, notes: [] };
  }
  if (!config.autoTls) return undefined;
  const paths = pkiPaths(config.pkiDir);
  const local = await ensureLocalCa(paths);
  // Logged once the listener is up, so that a start that fails says so in one line.
  const notes = [`CA fingerprint (SHA-256): ${local.fingerprint}`];
  if (local.createdFor) {
    notes.unshift(
      `Created the built-in CA in ${paths.dir} (AUTO_TLS) and a server certificate for ${local.createdFor.join(', ')}`,
    );
  }
  // `--port 0` (any free port, as tests use) takes any free port for TLS too.
  const port = tlsPort ?? (config.LISTEN_PORT === 0 ? 0 : DEFAULT_TLS_PORT);
  return { port, certPath: local.certPath, keyPath: local.keyPath, caPath: local.caPath, notes };
}

/** A port flag's value: a whole number from 0 (any free port) to 65535. */
function parsePort(text: string, flag: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port <= 65535)) throw new UsageError(`${flag} takes a port number from 0 to 65535, not '${text}'`);
  return port;
}

const migrateCommand = defineCommand({
  meta: { name: 'migrate', description: 'Create or upgrade the database schema, then exit' },
  args: commonArgs,
  async run({ args }) {
    const config = readConfig(args);
    const applied = await withDatabase(config, migrate);
    console.log(
      applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'The database is up to date',
    );
  },
});

const gc = defineCommand({
  meta: {
    name: 'gc',
    description:
      'Delete stale hosts and images, then unreferenced versions, packages and kernels (run from cron)',
  },
  args: commonArgs,
  async run({ args }) {
    const config = readConfig(args);
    await withDatabase(config, (database) =>
      collectGarbage(createStore(database), {
        hostMaxAgeDays: config.GC_HOST_MAX_AGE_DAYS,
        imageMaxAgeDays: config.GC_IMAGE_MAX_AGE_DAYS,
        historyRetentionDays: config.HISTORY_RETENTION_DAYS,
        print: (line) => console.log(line),
      }),
    );
  },
});

const recount = defineCommand({
  meta: {
    name: 'recount',
    description:
      "Recount every package's installed, upgrade and security counts from the host and image rows (after restoring or bulk-loading the database)",
  },
  args: commonArgs,
  async run({ args }) {
    const config = readConfig(args);
    const packages = await withDatabase(config, recountPackageCounts);
    console.log(`Recounted the counts of ${packages} packages`);
  },
});

const version = defineCommand({
  meta: { name: 'version', description: 'Print the version' },
  run() {
    console.log(VERSION);
  },
});

const user = createUserCommand({
  commonArgs,
  withDatabase: (args, work) =>
    withDatabase(readConfig(args as { config?: string; database?: string }), work),
});

const pkiOptions = {
  commonArgs,
  readConfig: (args: Record<string, unknown>) => readConfig(args as { config?: string; database?: string }),
  // The tables are needed before `serve` ever ran: migrate first (a no-op when up to date).
  withDatabase: <T>(config: Config, work: (database: Database) => Promise<T>) =>
    withDatabase(config, async (database) => {
      await migrate(database);
      return work(database);
    }),
};
const cve = createCveCommand({
  commonArgs,
  userAgent: FEED_USER_AGENT,
  feedUrl: (args) => readConfig(args as { config?: string; database?: string }).CVE_FEED_URL,
  withDatabase: (args, work) =>
    withDatabase(readConfig(args as { config?: string; database?: string }), work),
});
const pki = createPkiCommand(pkiOptions);
const enrollToken = createEnrollTokenCommand(pkiOptions);

export const main = defineCommand({
  meta: { name: 'debmonitor-server', version: VERSION, description: 'DebMonitor server' },
  subCommands: {
    serve,
    migrate: migrateCommand,
    gc,
    recount,
    user,
    pki,
    'enroll-token': enrollToken,
    cve,
    version,
  },
});

// runCli prints a failure as one line; a successful `serve` keeps the process alive with its listeners.
if (import.meta.main) {
  void runCli(main, process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
