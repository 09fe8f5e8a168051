/**
 * One run of the agent with validated options: read the hook feed, build the report, then print it
 * (`-n`) or deliver it under the run lock; after a full host report, `--update` may replace the binary.
 */
import { join } from 'node:path';
import { isCompiledBinary } from '../lib/compiled-binary.ts';
import { stringifySorted } from '../lib/sorted-json.ts';
import { VERSION } from '../lib/version.ts';
import { runCheck } from './check.ts';
import type { AgentOptions } from './cli/resolve-options.ts';
import { createHostPackageSources } from './collect/collect-packages.ts';
import { DPKG_STATUS_PATH } from './collect/dpkg-status.ts';
import { resolveFqdn } from './collect/fqdn.ts';
import { readRunningKernel } from './collect/kernel.ts';
import { readNativeArchitecture } from './collect/native-architecture.ts';
import { runNeedrestart } from './collect/needrestart.ts';
import { readOsName } from './collect/os-release.ts';
import { readRebootFacts } from './collect/reboot-facts.ts';
import { runEnroll } from './enroll/enroll.ts';
import { renewIfDue } from './enroll/renew.ts';
import { AgentError } from './errors.ts';
import { readDescriptor, selectHookDescriptor } from './hook/read-hook-input.ts';
import type { AgentLogger } from './log.ts';
import { buildReport, type Report, type SystemFacts } from './report/build-report.ts';
import { runSelfUpdate } from './self-update.ts';
import { removeStaleUpdateFiles } from './self-update-install.ts';
import { acquireRunLock, type RunLock } from './spool/run-lock.ts';
import { ServerSpool } from './spool/spool.ts';
import { deliverReport } from './submit/deliver-report.ts';
import { ATTEMPT_TIMEOUT_MS, type RequestPolicy, type requestWithRetries } from './submit/post-json.ts';
import { parseServerAddress, type ServerAddress } from './submit/server-address.ts';
import { loadTlsSettings, type TlsSettings } from './submit/tls-settings.ts';

/** How long a hook run waits for another run before spooling its report instead. */
const HOOK_LOCK_WAIT_MS = 10_000;
/** How long a full or manual run waits for another run to finish. */
const RUN_LOCK_WAIT_MS = 10 * 60_000;

/** What a run reads and writes besides the options. */
export interface AgentIo {
  env: Record<string, string | undefined>;
  /** Resolves once `text` is written, after everything written before it. */
  writeStdout: (text: string) => Promise<void>;
  logger: AgentLogger;
  /** The host's facts; the real ones unless a test replaces them. */
  facts?: SystemFacts;
  /** How --enroll sends its request; tests wrap it to see what leaves the host. */
  send?: typeof requestWithRetries;
}

/** The real system's facts: dpkg, APT, os-release, uname, /proc, /run, needrestart and the resolver. */
export function createSystemFacts(logger: AgentLogger): SystemFacts {
  return {
    ...createHostPackageSources(DPKG_STATUS_PATH, readNativeArchitecture),
    readOsName: () => readOsName(),
    resolveFqdn: () => resolveFqdn(),
    readRunningKernel,
    readRebootFacts: async (kernelImages, full) =>
      readRebootFacts(kernelImages, full ? await runNeedrestart(logger) : undefined),
  };
}

/** The User-Agent legacy sent, with this agent's version (docs/protocol.md, "Client behaviour"). */
export const USER_AGENT = `debmonitor-client/${VERSION} +https://wikitech.wikimedia.org/wiki/Debmonitor`;

/** Runs the agent; returns the exit code, or throws AgentError for a runtime failure (exit 1). */
export async function runAgent(options: AgentOptions, io: AgentIo): Promise<number> {
  const { logger } = io;
  const facts = io.facts ?? createSystemFacts(logger);
  const servers = options.servers.map((server) => parseServerAddress(server, options.port));
  if (options.enroll) {
    return runEnroll(options, servers, {
      facts,
      logger,
      print: (line) => io.writeStdout(`${line}\n`),
      policyFor: (tls, retries) => ({
        ...createPolicy(options, logger, tls),
        ...(retries === undefined ? {} : { retries }),
      }),
      send: io.send,
    });
  }
  if (options.check)
    return runCheck(
      options,
      servers,
      createPolicy(options, logger),
      facts,
      (line) => io.writeStdout(`${line}\n`),
      logger,
    );

  // Read APT's feed to its end before anything can fail, so APT never blocks writing it.
  const hookFeed =
    options.dpkgHook && options.imageFile !== '-'
      ? await readDescriptor(selectHookDescriptor(io.env))
      : undefined;
  if (options.unconfiguredHook) {
    logger.debug('No DebMonitor server is configured (server= in the configuration): nothing to send');
    return 0;
  }
  // Every sending run, not only --update ones: an update killed once must not leave its file forever.
  if (!options.dryRun) await removeInterruptedUpdates(logger);
  const hookMode = options.dpkgHook || options.upgradable;
  const lock = options.dryRun ? undefined : await takeLock(options, hookMode, logger);
  try {
    const report = await buildReport(options, hookFeed, facts, logger);
    if (!report) return 0;
    if (options.dryRun) {
      await io.writeStdout(`${stringifySorted(report.payload)}\n`);
      return 0;
    }
    if (lock === 'busy') return spoolWithoutSending(report, servers, options, logger);

    const policy = createPolicy(options, logger);
    const delivered = await deliverReport(report, {
      servers,
      policy,
      hookMode,
      spoolDir: lock ? options.spoolDir : undefined,
      logger,
    });
    // Even after a failed delivery: a newer agent may be what fixes it. The outcome never changes the exit code.
    if (options.update) await updateAgent(options, report, servers, policy, logger);
    // Full host runs only, as for --update; renewal never changes the exit code either.
    const [first] = servers;
    if (first && report.updateType === 'full' && !options.imageName && !options.imageFile) {
      await renewIfDue(options, first, policy, logger);
    }
    if (delivered < servers.length) {
      throw new AgentError(
        `the ${report.updateType} update reached ${delivered} of ${servers.length} server(s)`,
      );
    }
    logger.info(`Successfully sent the ${report.updateType} update to the DebMonitor server(s)`);
    return 0;
  } finally {
    if (lock && lock !== 'busy') lock.release();
  }
}

/** Runs `--update` after a full host report, from the first server; hook and image runs never update. */
async function updateAgent(
  options: AgentOptions,
  report: Report,
  servers: readonly ServerAddress[],
  policy: RequestPolicy,
  logger: AgentLogger,
): Promise<void> {
  const [server] = servers;
  if (!server) return;
  if (report.updateType !== 'full' || options.imageName || options.imageFile) {
    logger.info('Not checking for a newer agent: --update runs only with a full host report');
    return;
  }
  const outcome = await runSelfUpdate({
    serverUrl: server.baseUrl,
    currentVersion: VERSION,
    executablePath: process.execPath,
    forceVersion: options.forceVersion,
    tls: policy.tls,
    log: logger,
  });
  logger.debug(`Self-update outcome: ${JSON.stringify(outcome)}`);
}

/** Removes the files of killed self-updates beside a standalone binary (from source, that is Bun). */
async function removeInterruptedUpdates(logger: AgentLogger): Promise<void> {
  if (!isCompiledBinary()) return;
  for (const path of await removeStaleUpdateFiles(process.execPath)) {
    logger.info(`Removed ${path}, left by an interrupted self-update`);
  }
}

/** The request policy of this run; TLS files are read here, at send time, unless given. */
function createPolicy(options: AgentOptions, logger: AgentLogger, tls?: TlsSettings): RequestPolicy {
  return {
    tls: tls ?? loadTlsSettings({ cert: options.cert, key: options.key, ca: options.ca }),
    userAgent: USER_AGENT,
    retries: options.retries,
    retryBackoffSeconds: options.retryBackoff,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
    logger,
  };
}

/**
 * Takes the run lock in the spool directory. Returns undefined when the spool directory is unusable
 * (the run goes on without lock and spool), or 'busy' when a hook run could not get it in time.
 */
async function takeLock(
  options: AgentOptions,
  hookMode: boolean,
  logger: AgentLogger,
): Promise<RunLock | 'busy' | undefined> {
  let lock: RunLock | undefined;
  try {
    lock = await acquireRunLock(
      join(options.spoolDir, 'lock'),
      hookMode ? HOOK_LOCK_WAIT_MS : RUN_LOCK_WAIT_MS,
    );
  } catch (error) {
    logger.warn(
      `Unable to use the spool directory ${options.spoolDir} (${(error as Error).message}): runs are not ` +
        'serialized and a failed report is lost; set spool_dir= in the configuration or DEBMONITOR_SPOOL_DIR',
    );
    return undefined;
  }
  if (lock) return lock;
  if (hookMode) return 'busy';
  throw new AgentError(
    `another debmonitor-client run still holds ${join(options.spoolDir, 'lock')}; try again later`,
  );
}

/** A hook run that could not take the lock leaves its report for the next run instead of racing. */
function spoolWithoutSending(
  report: Report,
  servers: readonly ServerAddress[],
  options: AgentOptions,
  logger: AgentLogger,
): never {
  const { identity: _identity, ...stored } = report;
  for (const server of servers) new ServerSpool(options.spoolDir, server.spoolKey, logger).save(stored);
  throw new AgentError(
    `another debmonitor-client run held ${join(options.spoolDir, 'lock')} for ${HOOK_LOCK_WAIT_MS / 1000}s: ` +
      'the update was spooled and goes out with the next run',
  );
}
