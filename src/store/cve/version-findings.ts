/**
 * The findings of (release, source, source version) pairs against an import (docs/cve.md, "Stored
 * findings"): `cve_version_findings` holds the stored states of each matched pair, and
 * `cve_matched_versions` which pairs are matched, findings or none. A pair is matched once per import,
 * however many hosts and images share it.
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows, type SqlRunner } from '../../db/sql-runner.ts';
import { findingsOfSource, type StoredFinding } from '../../domain/cve-findings.ts';
import type { InstalledSource } from '../../domain/cve-sources.ts';
import { readReleaseRows } from './release-rows.ts';

const pairKey = (pair: InstalledSource) => `${pair.name}\u0000${pair.version}`;

/**
 * Matches the pairs of `release` that import `feedId` has not matched yet and stores their findings.
 * Costs one query for the matched ones (by source), and for the others one for their sources' feed
 * rows and two batched inserts. Returns how many pairs it matched.
 */
export async function matchVersions(
  database: Database,
  runner: SqlRunner,
  feedId: number,
  release: string,
  pairs: readonly InstalledSource[],
): Promise<number> {
  if (pairs.length === 0) return 0;
  const m = sqlNames(database.tables.cveMatchedVersions);
  const names = [...new Set(pairs.map((pair) => pair.name))];
  const matched = new Set<string>();
  for (const batch of batchRows(database.capabilities, names, 2)) {
    const list = inList(database.capabilities, batch);
    const rows = await runner.select<{ source: string; version: string }>(
      `SELECT ${m.source} AS source, ${m.version} AS version FROM ${m.$table}
       WHERE ${m.feedId} = ? AND ${m.codename} = ? AND ${m.source} IN (${list.text})`,
      [feedId, release, ...list.params],
    );
    for (const row of rows) matched.add(pairKey({ name: row.source, version: row.version }));
  }
  const missing = new Map<string, InstalledSource>();
  for (const pair of pairs) if (!matched.has(pairKey(pair))) missing.set(pairKey(pair), pair);
  if (missing.size === 0) return 0;
  await storeMatches(database, runner, feedId, release, [...missing.values()]);
  return missing.size;
}

/**
 * Matches `pairs` (none matched yet) of `release` and writes their findings and marks; returns the
 * findings (those another writer stored first are the same: one import, the same pairs).
 */
export async function storeMatches(
  database: Database,
  runner: SqlRunner,
  feedId: number,
  release: string,
  pairs: readonly InstalledSource[],
): Promise<StoredFinding[]> {
  const names = [...new Set(pairs.map((pair) => pair.name))];
  const rows = await readReleaseRows(database, runner, feedId, release, names);
  const bySource = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = bySource.get(row.source);
    if (list) list.push(row);
    else bySource.set(row.source, [row]);
  }
  const findings: unknown[][] = [];
  const marks: unknown[][] = [];
  const found: StoredFinding[] = [];
  for (const pair of pairs) {
    const matched = findingsOfSource(pair, bySource.get(pair.name) ?? []);
    marks.push([feedId, release, pair.name, pair.version, matched.fixed, matched.notAffected]);
    for (const f of matched.found) {
      found.push(f);
      findings.push([
        feedId,
        release,
        pair.name,
        pair.version,
        f.cve,
        f.state,
        f.reason,
        f.fixedVersion,
        f.urgency,
        f.urgencyRank,
      ]);
    }
  }
  const v = sqlNames(database.tables.cveVersionFindings);
  const m = sqlNames(database.tables.cveMatchedVersions);
  // Two reports on MySQL may match the same new pair side by side: the second one's rows are skipped.
  const { ignoreClause } = database.spelling;
  await insertRows(
    runner,
    database.capabilities,
    m.$table,
    [m.feedId, m.codename, m.source, m.version, m.fixed, m.notAffected],
    marks,
    ignoreClause,
  );
  await insertRows(
    runner,
    database.capabilities,
    v.$table,
    [
      v.feedId,
      v.codename,
      v.source,
      v.version,
      v.cve,
      v.state,
      v.reason,
      v.fixedVersion,
      v.urgency,
      v.urgencyRank,
    ],
    findings,
    ignoreClause,
  );
  return found;
}
