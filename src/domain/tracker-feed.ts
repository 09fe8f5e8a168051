/**
 * One source package's object of the security tracker's JSON feed, checked and turned into the rows
 * the server keeps (docs/cve.md, "The feed"): per (CVE, release) of the wanted releases, and per CVE
 * its description, scope and Debian bug. Wrong types are refused: a feed that does not have the
 * tracker's shape must not replace a good dataset.
 */

import type { TrackerEntry, TrackerStatus } from './cve-match.ts';
import { UNSTABLE } from './debian-releases.ts';
import { compareDebianVersions } from './debian-version.ts';

/** A feed that is not the tracker's JSON. */
export class FeedFormatError extends Error {}

/** What is kept of a CVE, whatever the release. */
export interface CveInfo {
  id: string;
  description: string | null;
  scope: string | null;
  debianBug: number | null;
}

/** One (source package, CVE, release) row. */
export interface TrackerRow extends TrackerEntry {
  source: string;
  cve: string;
  release: string;
}

export interface TrackerPackage {
  cves: CveInfo[];
  rows: TrackerRow[];
}

const STATUSES = new Set<string>(['resolved', 'open', 'undetermined']);

/** Checks `value`, the object of source package `source`, and keeps the releases in `releases`. */
export function readTrackerPackage(
  source: string,
  value: unknown,
  releases: ReadonlySet<string>,
): TrackerPackage {
  const where = `package '${source}'`;
  const cves: CveInfo[] = [];
  const rows: TrackerRow[] = [];
  for (const [id, issue] of Object.entries(objectAt(value, where))) {
    const at = `${where}, ${id}`;
    const fields = objectAt(issue, at);
    const blocks = objectAt(fields.releases ?? {}, `${at}.releases`);
    const unstable = blocks[UNSTABLE] === undefined ? null : readEntry(blocks[UNSTABLE], `${at}.${UNSTABLE}`);
    let kept = false;
    for (const [release, block] of Object.entries(blocks)) {
      const entry = release === UNSTABLE && unstable ? unstable : readEntry(block, `${at}.${release}`);
      if (!releases.has(release)) continue;
      const unstableFixedVersion = unstable?.status === 'resolved' ? unstable.fixedVersion : null;
      rows.push({ source, cve: id, release, ...entry, unstableFixedVersion });
      kept = true;
    }
    if (!kept) continue;
    cves.push({
      id,
      description: optional(fields.description, 'string', `${at}.description`),
      scope: optional(fields.scope, 'string', `${at}.scope`),
      debianBug: optional(fields.debianbug, 'number', `${at}.debianbug`),
    });
  }
  return { cves, rows };
}

function readEntry(value: unknown, at: string): Omit<TrackerEntry, 'unstableFixedVersion'> {
  const block = objectAt(value, at);
  const status = block.status;
  if (typeof status !== 'string' || !STATUSES.has(status))
    throw new FeedFormatError(`${at}.status: expected resolved, open or undetermined`);
  const repositories = objectAt(block.repositories ?? {}, `${at}.repositories`);
  let archiveVersion: string | null = null;
  for (const [suite, version] of Object.entries(repositories)) {
    if (typeof version !== 'string')
      throw new FeedFormatError(`${at}.repositories.${suite}: expected a string`);
    if (archiveVersion === null || compareDebianVersions(version, archiveVersion) > 0)
      archiveVersion = version;
  }
  const nextPointUpdate = optional(block.next_point_update, 'boolean', `${at}.next_point_update`);
  return {
    status: status as TrackerStatus,
    fixedVersion: optional(block.fixed_version, 'string', `${at}.fixed_version`),
    urgency: optional(block.urgency, 'string', `${at}.urgency`) ?? '',
    nodsa: optional(block.nodsa, 'string', `${at}.nodsa`),
    nodsaReason: optional(block.nodsa_reason, 'string', `${at}.nodsa_reason`),
    nextPointUpdate: nextPointUpdate === true,
    archiveVersion,
  };
}

function objectAt(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FeedFormatError(`${at}: expected an object`);
  return value as Record<string, unknown>;
}

type TypeOf = { string: string; number: number; boolean: boolean };

function optional<K extends keyof TypeOf>(value: unknown, type: K, at: string): TypeOf[K] | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== type) throw new FeedFormatError(`${at}: expected a ${type}`);
  return value as TypeOf[K];
}
