/**
 * The package lists of a full or upgradable report (docs/protocol.md, "What the agent sends"): installed
 * packages from dpkg's status file, upgrades from APT's resolver with the source of each candidate.
 */

import type { KernelImage } from '../../domain/kernel-state.ts';
import { describeFileError } from '../../lib/describe-file-error.ts';
import type { InstalledItem, UpgradableItem } from '../../protocol/report.ts';
import { SECURITY_UPGRADE } from '../../protocol/report.ts';
import { AgentError } from '../errors.ts';
import type { AgentLogger } from '../log.ts';
import { findSource, lookUpSources } from './apt-cache-sources.ts';
import { isSecurityRelease, type SimulatedUpgrade, simulateDistUpgrade } from './apt-simulation.ts';
import { type DpkgPackage, isInstalled, parseDpkgStatus } from './dpkg-status.ts';
import { formatPackageName } from './package-name.ts';
import { kernelImagesOf } from './reboot-facts.ts';

/** The lists a full or upgradable report carries. */
export interface CollectedPackages {
  installed: InstalledItem[];
  upgradable: UpgradableItem[];
  /** The installed kernel images, for the reboot facts of a host report. */
  kernelImages: KernelImage[];
}

/** The host facts collection works from; injected so tests can run on captured data. */
export interface PackageSources {
  readStatus: () => Promise<string>;
  readNativeArchitecture: () => Promise<string>;
  simulateUpgrade: () => Promise<SimulatedUpgrade[]>;
  lookUpSources: typeof lookUpSources;
}

/** Code-point order by name, as legacy's sorted iteration over the APT cache gives. */
function byName(left: { name: string }, right: { name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

/** Turns installed dpkg packages into report items, named as APT prints them and sorted by name. */
export function toInstalledItems(
  packages: readonly DpkgPackage[],
  nativeArchitecture: string,
): InstalledItem[] {
  return packages
    .filter(isInstalled)
    .map((pkg) => ({
      name: formatPackageName(pkg.name, pkg.architecture, nativeArchitecture),
      version: pkg.version,
      source: pkg.source,
      source_version: pkg.sourceVersion,
    }))
    .sort(byName);
}

/**
 * Collects installed packages (unless `upgradableOnly`) and pending upgrades. The simulation, the
 * slowest step, runs while the status file is read.
 */
export async function collectPackages(
  upgradableOnly: boolean,
  sources: PackageSources,
  logger: AgentLogger,
): Promise<CollectedPackages> {
  const [statusText, nativeArchitecture, upgrades] = await Promise.all([
    sources.readStatus(),
    sources.readNativeArchitecture(),
    sources.simulateUpgrade(),
  ]);
  const statusPackages = parseDpkgStatus(statusText);
  const installedItems = toInstalledItems(statusPackages, nativeArchitecture);
  logger.info(`Found ${installedItems.length} installed binary packages`);
  logger.info(`Found ${upgrades.length} upgradable binary packages (including new dependencies)`);

  const installedByName = new Map(installedItems.map((item) => [item.name, item]));
  const pending = upgrades.filter((upgrade) => installedByName.has(upgrade.name));
  const candidateSources = await sources.lookUpSources(
    pending.map((upgrade) => ({
      name: upgrade.name,
      version: upgrade.candidateVersion,
      architecture: upgrade.architecture,
    })),
  );
  const upgradable = pending
    .map((upgrade): UpgradableItem => {
      const query = {
        name: upgrade.name,
        version: upgrade.candidateVersion,
        architecture: upgrade.architecture,
      };
      return {
        name: upgrade.name,
        version_from: upgrade.installedVersion,
        version_to: upgrade.candidateVersion,
        // APT not knowing the candidate is unexpected; the installed version's source is the best guess.
        source: findSource(candidateSources, query) ?? installedByName.get(upgrade.name)!.source!,
        type: upgrade.releases.some(isSecurityRelease) ? SECURITY_UPGRADE : '',
      };
    })
    .sort(byName);

  if (logger.debugEnabled) {
    if (!upgradableOnly)
      for (const item of installedItems) logger.debug(`Collected installed: ${JSON.stringify(item)}`);
    for (const item of upgradable) logger.debug(`Collected upgrade: ${JSON.stringify(item)}`);
  }
  return {
    installed: upgradableOnly ? [] : installedItems,
    upgradable,
    kernelImages: kernelImagesOf(statusPackages, nativeArchitecture),
  };
}

/** The real host: dpkg's status file, `dpkg --print-architecture`, `apt-get -s`, `apt-cache show`. */
export function createHostPackageSources(
  statusPath: string,
  readNativeArchitecture: () => Promise<string>,
): PackageSources {
  return {
    readStatus: () =>
      Bun.file(statusPath)
        .text()
        .catch((error: unknown) => {
          throw new AgentError(
            `Unable to read dpkg's status file ${statusPath}: ${describeFileError(error)}`,
          );
        }),
    readNativeArchitecture,
    simulateUpgrade: simulateDistUpgrade,
    lookUpSources,
  };
}
