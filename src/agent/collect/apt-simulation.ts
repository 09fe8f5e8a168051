/**
 * Pending upgrades from `apt-get -s dist-upgrade` (docs/protocol.md, "What the agent sends"): APT's own
 * resolver decides, so pinning, holds, phased updates and kept-back packages count exactly as they do for
 * the operator.
 */
import { AgentError } from '../errors.ts';
import { runCommand, summarizeOutput } from './run-command.ts';

/** One upgrade of an installed package, as an `Inst` line of the simulation shows it. */
export interface SimulatedUpgrade {
  /** Pretty name, e.g. `libc6` or `libc6:i386`. */
  name: string;
  installedVersion: string;
  candidateVersion: string;
  /** Architecture of the candidate, from the trailing `[arch]`. */
  architecture: string;
  /** Releases that provide the candidate, e.g. `Debian-Security:12/stable-security`. */
  releases: string[];
}

const INST_LINE = /^Inst (\S+)(?: \[([^\]]*)\])? \(([^)]*)\)/;

/**
 * Parses the `Inst` lines of a simulation. Lines without an installed version (new dependencies),
 * `Remv`, `Conf` and anything else are skipped, and so is an `Inst` that changes no version.
 */
export function parseInstLines(output: string): SimulatedUpgrade[] {
  const upgrades: SimulatedUpgrade[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('Inst ')) continue;
    const match = INST_LINE.exec(line);
    if (!match) continue;
    const [, name, installedVersion, inner] = match as unknown as [
      string,
      string,
      string | undefined,
      string,
    ];
    if (!installedVersion) continue;
    const architecture = /\[([^\]]*)\]$/.exec(inner)?.[1] ?? '';
    const withoutArchitecture = inner.replace(/\s*\[[^\]]*\]$/, '');
    const space = withoutArchitecture.indexOf(' ');
    const candidateVersion = space === -1 ? withoutArchitecture : withoutArchitecture.slice(0, space);
    if (candidateVersion === '' || candidateVersion === installedVersion) continue;
    const releaseText = space === -1 ? '' : withoutArchitecture.slice(space + 1);
    const releases = releaseText
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    upgrades.push({ name, installedVersion, candidateVersion, architecture, releases });
  }
  return upgrades;
}

/**
 * True when a release providing the candidate is a security archive (docs/protocol.md, "What the agent
 * sends"): its archive or suite ends in `-security` (`stable-security`, `jammy-security`) or its label
 * does (`Debian-Security`).
 */
export function isSecurityRelease(release: string): boolean {
  const lower = release.toLowerCase();
  const slash = lower.lastIndexOf('/');
  const archive = slash === -1 ? lower : lower.slice(slash + 1);
  const colon = lower.indexOf(':');
  const label = colon === -1 ? '' : lower.slice(0, colon);
  return archive.endsWith('-security') || label.endsWith('-security');
}

/** Runs the simulation as any user (it needs no lock and no root) and returns its upgrades. */
export async function simulateDistUpgrade(): Promise<SimulatedUpgrade[]> {
  const result = await runCommand(['apt-get', '-s', '-q', 'dist-upgrade']);
  if (result.exitCode !== 0) {
    throw new AgentError(
      `apt-get -s dist-upgrade failed with exit code ${result.exitCode}: ${summarizeOutput(result.stderr || result.stdout)}`,
    );
  }
  return parseInstLines(result.stdout);
}
