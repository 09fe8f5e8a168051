/**
 * Which Debian release (the tracker's codename) an OS label names (docs/cve.md, "Releases").
 * Agents report `Debian NN` (os-release's ID and VERSION_ID); the tracker keys releases by codename.
 */

/**
 * Major version → codename, from the tracker's distributions.json (`major-version`) and
 * distro-info-data's debian.csv. Extend it when Debian names a new release: until then hosts of that
 * release show "release not covered", never "0 CVEs".
 */
export const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  '7': 'wheezy',
  '8': 'jessie',
  '9': 'stretch',
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
  '14': 'forky',
  '15': 'duke',
};

/** The codename of an OS label such as `Debian 12` (or `Debian 12.5`), null for anything else. */
export function codenameOfOs(osName: string): string | null {
  const match = /^Debian (\d+)(?:\.\d+)*$/.exec(osName);
  return match ? (DEBIAN_CODENAMES[match[1] ?? ''] ?? null) : null;
}

/** Unstable's codename in the tracker, kept for versions from another suite (cve-match.ts). */
export const UNSTABLE = 'sid';
