/**
 * Whether an agent should replace itself with the build a server offers (docs/protocol.md, "Agent
 * downloads"): only for a newer semantic version, never a downgrade, unless a version is pinned, in
 * which case exactly that version is installed, older or newer.
 */
import { compareSemver, isSemver } from './semver.ts';

export type UpdateDecision =
  | { action: 'update'; downgrade: boolean }
  | { action: 'keep'; reason: 'same-version' | 'older-offered' | 'pinned-version-not-offered' }
  | { action: 'refuse'; reason: string };

/** Decides from the running version, the server's version and an optional pinned version. */
export function decideUpdate(current: string, offered: string, pinned?: string): UpdateDecision {
  for (const [what, version] of [
    ['running', current],
    ['offered', offered],
    ['pinned', pinned],
  ] as const) {
    if (version !== undefined && !isSemver(version)) {
      return { action: 'refuse', reason: `the ${what} version '${version}' is not a semantic version` };
    }
  }
  const order = compareSemver(offered, current);
  if (pinned !== undefined) {
    if (compareSemver(offered, pinned) !== 0) return { action: 'keep', reason: 'pinned-version-not-offered' };
    return order === 0
      ? { action: 'keep', reason: 'same-version' }
      : { action: 'update', downgrade: order < 0 };
  }
  if (order > 0) return { action: 'update', downgrade: false };
  return { action: 'keep', reason: order === 0 ? 'same-version' : 'older-offered' };
}
