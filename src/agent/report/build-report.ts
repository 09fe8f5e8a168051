/**
 * Builds the one report a run sends (docs/protocol.md, "What the agent sends"): a prepared `-f` file
 * unchanged, or a full, upgradable or dpkg-hook report about this host or, with `-i`, about the image the
 * agent runs in.
 */
import type { KernelImage } from '../../domain/kernel-state.ts';
import type { RebootFacts } from '../../protocol/report.ts';
import type { AgentOptions } from '../cli/resolve-options.ts';
import type { PackageSources } from '../collect/collect-packages.ts';
import { collectPackages } from '../collect/collect-packages.ts';
import { parseDpkgStatus } from '../collect/dpkg-status.ts';
import { explainOsNameProblem } from '../collect/os-release.ts';
import { kernelImagesOf } from '../collect/reboot-facts.ts';
import { AgentError } from '../errors.ts';
import { parseDpkgHookFeed } from '../hook/parse-dpkg-hook.ts';
import { resolveHookChanges } from '../hook/resolve-hook-changes.ts';
import type { AgentLogger } from '../log.ts';
import type { SpooledReport } from '../spool/spool.ts';
import type { ReportIdentity } from '../submit/explain-failure.ts';
import { formatReportPath } from '../submit/server-address.ts';
import { buildPayload, type PayloadInput, type ReportSubject, type UpdateType } from './build-payload.ts';

/** A report ready to print or send. */
export interface Report extends SpooledReport {
  identity: ReportIdentity;
}

/** The facts of the system the agent runs on; injected so tests can replace the real host. */
export interface SystemFacts extends PackageSources {
  readOsName: () => string;
  resolveFqdn: () => Promise<string>;
  readRunningKernel: () => { release: string; version: string };
  /** The reboot facts of a host report; `full` runs also ask needrestart. */
  readRebootFacts: (kernelImages: KernelImage[], full: boolean) => Promise<RebootFacts>;
}

/**
 * Builds the report of this run, or undefined when a dpkg hook feed announces no change (nothing is
 * sent). `hookFeed` is the text read from APT in `-g` mode.
 */
export async function buildReport(
  options: AgentOptions,
  hookFeed: string | undefined,
  facts: SystemFacts,
  logger: AgentLogger,
): Promise<Report | undefined> {
  const collectedAt = Date.now();
  if (options.imagePayload !== undefined) return buildFileReport(options, collectedAt);

  const updateType: UpdateType = options.dpkgHook ? 'dpkg_hook' : options.upgradable ? 'upgradable' : 'full';
  const feed = hookFeed === undefined ? undefined : parseDpkgHookFeed(hookFeed);
  if (feed && feed.changes.length === 0) {
    logger.debug(`The dpkg hook feed (version ${feed.protocolVersion}) announces no package change`);
    return undefined;
  }
  // The FQDN lookup may wait on DNS: let it run while packages are collected.
  const hostname = options.imageName
    ? undefined
    : options.hostname
      ? Promise.resolve(options.hostname)
      : facts.resolveFqdn();

  let lists: Pick<PayloadInput, 'installed' | 'uninstalled' | 'upgradable'>;
  let kernelImages: KernelImage[];
  if (feed) {
    const [statusText, nativeArchitecture] = await Promise.all([
      facts.readStatus(),
      feed.nativeArchitecture ?? facts.readNativeArchitecture(),
    ]);
    const packages = parseDpkgStatus(statusText);
    const items = await resolveHookChanges(feed.changes, { nativeArchitecture, packages }, logger);
    // dpkg has not unpacked the new packages yet: the images are those before this run.
    kernelImages = kernelImagesOf(packages, nativeArchitecture);
    logger.info(
      `Got ${items.installed.length + items.uninstalled.length} updates from dpkg hook version ${feed.protocolVersion}`,
    );
    lists = { ...items, upgradable: [] };
  } else {
    const { kernelImages: images, ...packages } = await collectPackages(
      updateType === 'upgradable',
      facts,
      logger,
    );
    kernelImages = images;
    lists = { ...packages, uninstalled: [] };
  }

  const os = options.os ?? facts.readOsName();
  const osProblem = explainOsNameProblem(os);
  if (osProblem) logger.warn(osProblem);

  const subject: ReportSubject = options.imageName
    ? { kind: 'image', imageName: options.imageName }
    : {
        kind: 'host',
        hostname: await hostname!,
        runningKernel: facts.readRunningKernel(),
        reboot: await facts.readRebootFacts(kernelImages, updateType === 'full'),
      };
  const payload = buildPayload({ api: options.api, os, ...lists, updateType, subject });
  const [kind, name] = subject.kind === 'image' ? ['images', subject.imageName] : ['hosts', subject.hostname];
  return {
    path: formatReportPath(kind as 'hosts' | 'images', name),
    target: `${subject.kind}:${name}`,
    updateType,
    collectedAt,
    payload,
    identity: { kind: subject.kind, name, os },
  };
}

/**
 * The `-f` payload, sent unchanged to the endpoint of its `image_name` (docs/agent.md, "Container
 * images").
 */
function buildFileReport(options: AgentOptions, collectedAt: number): Report {
  const payload = options.imagePayload as Record<string, unknown>;
  const imageName = typeof payload === 'object' && payload !== null ? payload.image_name : undefined;
  if (typeof imageName !== 'string' || imageName === '') {
    if (!options.dryRun) {
      throw new AgentError(
        `The JSON file '${options.imageFile}' has no image_name: only image reports can be sent with -f/--image-file`,
      );
    }
  }
  const name = typeof imageName === 'string' ? imageName : '';
  const updateType = typeof payload?.update_type === 'string' ? payload.update_type : 'full';
  const os = typeof payload?.os === 'string' ? payload.os : undefined;
  return {
    path: formatReportPath('images', name),
    target: `image:${name}`,
    updateType,
    collectedAt,
    payload,
    identity: { kind: 'image', name, os },
  };
}
