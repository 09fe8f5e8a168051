/**
 * What a host report says about reboots (docs/protocol.md, "Reboot facts"): the installed kernel
 * images, the boot time, /run/reboot-required with its package list and, in full runs,
 * `needrestart -b`. The server judges; the agent only reads.
 */
import { readFileSync } from 'node:fs';
import { imageRelease, type KernelImage } from '../../domain/kernel-state.ts';
import { MAX_KERNEL_IMAGES, MAX_REBOOT_LIST, type RebootFacts } from '../../protocol/report.ts';
import { type DpkgPackage, isInstalled } from './dpkg-status.ts';
import { formatPackageName } from './package-name.ts';

export const REBOOT_REQUIRED_PATH = '/run/reboot-required';
export const PROC_STAT_PATH = '/proc/stat';

/** The installed kernel image packages (`linux-image-<release>`), named as APT prints them. */
export function kernelImagesOf(packages: readonly DpkgPackage[], nativeArchitecture: string): KernelImage[] {
  return packages
    .filter(isInstalled)
    .map((pkg) => ({
      name: formatPackageName(pkg.name, pkg.architecture, nativeArchitecture),
      version: pkg.version,
    }))
    .filter((image) => imageRelease(image.name) !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, MAX_KERNEL_IMAGES);
}

/** The boot time in seconds since the epoch, from the `btime` line of /proc/stat. */
export function parseBootTime(procStat: string): number | undefined {
  const match = /^btime\s+(\d+)\s*$/m.exec(procStat);
  return match ? Number(match[1]) : undefined;
}

/** The package names of /run/reboot-required.pkgs: one per line, each once, in file order. */
export function parseRebootPackages(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.trim();
    if (name !== '' && name.length <= 255 && names.size < MAX_REBOOT_LIST) names.add(name);
  }
  return [...names];
}

/** Reads a file, or undefined when it is absent or unreadable. */
function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Where the facts are read from; tests point it at captured files. */
export interface RebootPaths {
  rebootRequired: string;
  procStat: string;
}

const HOST_PATHS: RebootPaths = { rebootRequired: REBOOT_REQUIRED_PATH, procStat: PROC_STAT_PATH };

/** The reboot facts of this host, from its kernel images and, when given, needrestart's answer. */
export function readRebootFacts(
  kernelImages: KernelImage[],
  needrestart: RebootFacts['needrestart'] | undefined,
  paths: RebootPaths = HOST_PATHS,
): RebootFacts {
  const facts: RebootFacts = { kernel_images: kernelImages };
  const stat = readOptional(paths.procStat);
  const bootTime = stat === undefined ? undefined : parseBootTime(stat);
  if (bootTime !== undefined) facts.boot_time = bootTime;
  // The flag file itself may be empty; only its existence counts.
  if (readOptional(paths.rebootRequired) !== undefined)
    facts.reboot_required = {
      packages: parseRebootPackages(readOptional(`${paths.rebootRequired}.pkgs`) ?? ''),
    };
  if (needrestart) facts.needrestart = needrestart;
  return facts;
}
