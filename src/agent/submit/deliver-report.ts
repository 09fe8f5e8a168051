/**
 * Delivers a report to every server independently (docs/protocol.md, "Client behaviour";
 * docs/agent.md, "The spool and the lock"): spooled reports go first, in order; a failure is spooled
 * for the next run and never stops the other servers; a full report that arrives replaces the older
 * spooled reports about the same host or image.
 */
import type { AgentLogger } from '../log.ts';
import type { Report } from '../report/build-report.ts';
import { ServerSpool, type SpoolEntry } from '../spool/spool.ts';
import { explainFailure, isPermanentRejection, type ReportIdentity } from './explain-failure.ts';
import { type RequestPolicy, requestWithRetries } from './post-json.ts';
import type { ServerAddress } from './server-address.ts';

/** Total time per server in hook modes, retries and spool replay included, so apt is never held long. */
export const HOOK_DEADLINE_MS = 15_000;

/** How the reports are delivered. */
export interface DeliveryOptions {
  servers: readonly ServerAddress[];
  policy: Omit<RequestPolicy, 'deadline'>;
  /** Hook runs (-g, -u) get a short total deadline per server. */
  hookMode: boolean;
  /** Where failed reports wait; undefined when no spool is usable. */
  spoolDir?: string;
  logger: AgentLogger;
}

/** Sends `report` to each server; returns how many servers stored it. */
export async function deliverReport(report: Report, options: DeliveryOptions): Promise<number> {
  let delivered = 0;
  for (const server of options.servers) {
    if (await deliverToServer(report, server, options)) delivered++;
  }
  return delivered;
}

/** A host's full report is never replayed: a fresh one is collected by the next full run instead. */
function isReplayable(entry: SpoolEntry): boolean {
  return !(entry.target.startsWith('host:') && entry.updateType === 'full');
}

/** Delivers to one server: replay the spool, send the report, spool it when that fails. */
async function deliverToServer(
  report: Report,
  server: ServerAddress,
  options: DeliveryOptions,
): Promise<boolean> {
  const { logger } = options;
  const policy: RequestPolicy = {
    ...options.policy,
    deadline: options.hookMode ? Date.now() + HOOK_DEADLINE_MS : undefined,
  };
  const spool = options.spoolDir ? new ServerSpool(options.spoolDir, server.spoolKey, logger) : undefined;
  spool?.prune();
  const pending = spool?.list() ?? [];
  const supersedes = (entry: SpoolEntry) =>
    report.updateType === 'full' && entry.target === report.target && entry.collectedAt <= report.collectedAt;

  for (const entry of pending.filter((item) => isReplayable(item) && !supersedes(item))) {
    const outcome = await requestWithRetries(
      'POST',
      server.baseUrl + entry.path,
      JSON.stringify(entry.payload),
      policy,
    );
    const when = new Date(entry.collectedAt).toISOString();
    if (outcome.status === 201) {
      spool!.remove(entry);
      logger.info(`Sent the spooled ${entry.updateType} update of ${when} to ${server.label}`);
    } else if (isPermanentRejection(outcome)) {
      spool!.remove(entry);
      logger.warn(
        `${server.label} refused the spooled ${entry.updateType} update of ${when}, dropped it: ${outcome.status} ${outcome.body.trim()}`,
      );
    } else {
      // Keep the order: the new report must not overtake the older ones still waiting.
      logger.error(
        `Failed to send the update to the DebMonitor server ${server.label}: spooled update of ${when} ` +
          `still fails (${explainFailure(outcome, identifyEntry(entry))})`,
      );
      spoolReport(report, spool, server, logger);
      return false;
    }
  }

  const outcome = await requestWithRetries(
    'POST',
    server.baseUrl + report.path,
    JSON.stringify(report.payload),
    policy,
  );
  if (outcome.status === 201) {
    for (const entry of pending.filter(supersedes)) spool!.remove(entry);
    logger.debug(`${server.label} stored the ${report.updateType} update`);
    return true;
  }
  logger.error(
    `Failed to send the update to the DebMonitor server ${server.label}: ${explainFailure(outcome, report.identity)}`,
  );
  if (!isPermanentRejection(outcome)) spoolReport(report, spool, server, logger);
  return false;
}

/** Who a spooled report is about, for the hints of its failure message. */
function identifyEntry(entry: SpoolEntry): ReportIdentity {
  const colon = entry.target.indexOf(':');
  const payload = entry.payload as { os?: unknown };
  return {
    kind: entry.target.slice(0, colon) === 'image' ? 'image' : 'host',
    name: entry.target.slice(colon + 1),
    os: typeof payload?.os === 'string' ? payload.os : undefined,
  };
}

/** Spools a report after a failure, saying where, so the operator knows it is not lost. */
function spoolReport(
  report: Report,
  spool: ServerSpool | undefined,
  server: ServerAddress,
  logger: AgentLogger,
): void {
  const { identity: _identity, ...stored } = report;
  if (spool?.save(stored))
    logger.info(`Spooled the ${report.updateType} update for ${server.label} in ${spool.directory}`);
}
