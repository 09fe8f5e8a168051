/**
 * Whether a host runs the newest kernel it has installed, in needrestart's terms (docs/reboot.md,
 * "Kernel state"). Package versions are compared in dpkg's order, never `uname -r` strings; only
 * images of the running flavour count, and an older image kept on purpose never counts as newer.
 */
import { compareDebianVersions, parseDebianVersion } from './debian-version.ts';

/** needrestart's kernel states; the index is its `NEEDRESTART-KSTA` code (0 to 3). */
export const KERNEL_STATES = ['unknown', 'current', 'abi_upgrade', 'version_upgrade'] as const;
export type KernelState = (typeof KERNEL_STATES)[number];

/** An installed kernel image package, as the agent reports it. */
export interface KernelImage {
  name: string;
  version: string;
}

/** What the server knows of a host's kernel. */
export interface KernelFacts {
  /** `uname -r`, e.g. `6.1.0-26-amd64`. */
  release?: string;
  /** `uname -v`, e.g. `#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)`. */
  banner: string;
  /** Every installed kernel image package with its version. */
  images: readonly KernelImage[];
}

export interface KernelVerdict {
  state: KernelState;
  /** One line saying why, e.g. `running 6.1.0-26-amd64 (6.1.112-1), installed 6.1.0-28-amd64 (6.1.119-1)`. */
  reason: string;
}

/**
 * The kernel release a package installs (`linux-image-6.1.0-26-amd64` → `6.1.0-26-amd64`), or
 * undefined for anything else: meta packages (`linux-image-amd64`), debug symbols, other packages.
 * Signed and unsigned builds of one release install the same image.
 */
export function imageRelease(packageName: string): string | undefined {
  const bare = packageName.replace(/:[^:]*$/, '');
  if (!bare.startsWith('linux-image-')) return undefined;
  const release = bare
    .slice('linux-image-'.length)
    .replace(/^unsigned-/, '')
    .replace(/-unsigned$/, '');
  if (!/^\d/.test(release) || /-dbg(sym)?$/.test(release)) return undefined;
  return release;
}

/**
 * The flavour of a kernel release: from its first `-` part that is not a number to the end
 * (`6.1.0-28-cloud-amd64` → `cloud-amd64`, `6.18.39+rpt-rpi-v7` → `rpi-v7`, `6.8.0-100-generic` →
 * `generic`); '' for a release without one.
 */
export function kernelFlavour(release: string): string {
  const parts = release.split('-');
  const first = parts.findIndex((part, index) => index > 0 && !/^\d+$/.test(part));
  return first < 0 ? '' : parts.slice(first).join('-');
}

/** The package version a Debian kernel prints in `uname -v` (`… Debian 6.1.112-1 (…)`), if any. */
export function bannerVersion(banner: string): string | undefined {
  return /\b(?:Debian|Raspbian) (\d[^\s()]*)/.exec(banner)?.[1];
}

/** Equal versions, ignoring an epoch the banner may leave out. */
function sameBuild(a: string, b: string): boolean {
  const left = parseDebianVersion(a);
  const right = parseDebianVersion(b);
  return left.upstream === right.upstream && left.revision === right.revision;
}

/** The kernel state of a host (docs/reboot.md, "Kernel state"). */
export function judgeKernel(facts: KernelFacts): KernelVerdict {
  const { release, banner, images } = facts;
  if (!release) return { state: 'unknown', reason: 'the agent sent no kernel release (uname -r)' };
  const flavour = kernelFlavour(release);
  const own = images.find((image) => imageRelease(image.name) === release);
  const built = bannerVersion(banner);
  const running = built ?? own?.version;
  if (running === undefined)
    return {
      state: 'unknown',
      reason: `running ${release}: no package linux-image-${release} installed and no Debian version in uname -v`,
    };

  let newest: { release: string; version: string } | undefined;
  for (const image of images) {
    const other = imageRelease(image.name);
    if (other === undefined || other === release || kernelFlavour(other) !== flavour) continue;
    if (compareDebianVersions(image.version, newest?.version ?? running) > 0)
      newest = { release: other, version: image.version };
  }
  const runningText = `running ${release} (${running})`;
  if (newest)
    return {
      state: 'version_upgrade',
      reason: `${runningText}, installed ${newest.release} (${newest.version})`,
    };
  if (!own)
    return {
      state: 'unknown',
      reason: `${runningText}: its package linux-image-${release} is not installed`,
    };
  if (built !== undefined && !sameBuild(own.version, built))
    return { state: 'abi_upgrade', reason: `${runningText}, installed ${release} (${own.version})` };
  return {
    state: 'current',
    reason: `${runningText}, the newest ${flavour === '' ? '' : `${flavour} `}image installed`,
  };
}

/** needrestart's KSTA code of a state. */
export function kernelStateCode(state: KernelState): number {
  return KERNEL_STATES.indexOf(state);
}

/** The state of a KSTA code; out-of-range codes are unknown. */
export function kernelStateOf(code: number | null | undefined): KernelState {
  return KERNEL_STATES[code ?? 0] ?? 'unknown';
}
