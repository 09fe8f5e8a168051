/**
 * Semantic versions (semver.org 2.0.0) for self-update decisions: parse and order by precedence.
 * Build metadata (`+…`) is ignored for ordering, as the specification says.
 */

/** A parsed version: numeric core, pre-release identifiers (empty for a release), build metadata. */
export interface SemanticVersion {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly (string | number)[];
  build: string;
}

const PATTERN =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses `1.2.3`, `1.2.3-rc.1`, `1.2.3+build` (a leading `v` is accepted); null when not a version. */
export function parseSemver(text: string): SemanticVersion | null {
  const match = PATTERN.exec(text.trim());
  if (!match) return null;
  const numbers = [match[1], match[2], match[3]].map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return null;
  const prerelease = match[4]
    ? match[4].split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part))
    : [];
  return {
    major: numbers[0]!,
    minor: numbers[1]!,
    patch: numbers[2]!,
    prerelease,
    build: match[5] ?? '',
  };
}

/** True when `text` is a semantic version. */
export function isSemver(text: string): boolean {
  return parseSemver(text) !== null;
}

/**
 * Orders two versions by semver precedence: negative when `a` < `b`, 0 when equal, positive when
 * `a` > `b`. Throws when either is not a semantic version: callers decide before comparing.
 */
export function compareSemver(a: string, b: string): number {
  const left = parseSemver(a);
  const right = parseSemver(b);
  if (!left) throw new TypeError(`Not a semantic version: '${a}'`);
  if (!right) throw new TypeError(`Not a semantic version: '${b}'`);
  return compareParsed(left, right);
}

function compareParsed(a: SemanticVersion, b: SemanticVersion): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  // A release ranks above any of its pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifier(a.prerelease[i]!, b.prerelease[i]!);
    if (order !== 0) return order;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

/** Numeric identifiers compare numerically and rank below alphanumeric ones; others compare as ASCII. */
function compareIdentifier(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
