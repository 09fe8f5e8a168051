/**
 * The current feed's rows of one release for a set of source packages (docs/cve.md, "The dataset"),
 * through the unique index on (feed, codename, source, CVE).
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, type SqlRunner } from '../../db/sql-runner.ts';
import type { ReleaseRow } from '../../domain/cve-exposure.ts';
import type { TrackerStatus } from '../../domain/cve-match.ts';

/**
 * The current feed's rows of `release` for the given sources; with `cves` (a page's worth, a few
 * hundred at most), only those CVEs' rows of the sources.
 */
export async function readReleaseRows(
  database: Database,
  runner: SqlRunner,
  feedId: number,
  release: string,
  sources: readonly string[],
  cves?: readonly string[],
): Promise<ReleaseRow[]> {
  const p = sqlNames(database.tables.cvePackageStatus);
  const rows: ReleaseRow[] = [];
  const only = cves ? inList(database.capabilities, [...new Set(cves)]) : null;
  if (only && cves?.length === 0) return rows;
  for (const batch of batchRows(database.capabilities, sources, 2 + (only?.params.length ?? 0))) {
    const names = inList(database.capabilities, batch);
    const found = await runner.select<{
      source: string;
      cve: string;
      status: string;
      fixed_version: string | null;
      urgency: string;
      nodsa: string | null;
      nodsa_reason: string | null;
      next_point_update: number | boolean;
      archive_version: string | null;
      unstable_fixed_version: string | null;
    }>(
      `SELECT ${p.source} AS source, ${p.cve} AS cve, ${p.status} AS status, ${p.fixedVersion} AS fixed_version,
         ${p.urgency} AS urgency, ${p.nodsa} AS nodsa, ${p.nodsaReason} AS nodsa_reason,
         ${p.nextPointUpdate} AS next_point_update, ${p.archiveVersion} AS archive_version,
         ${p.unstableFixedVersion} AS unstable_fixed_version
       FROM ${p.$table} WHERE ${p.feedId} = ? AND ${p.codename} = ? AND ${p.source} IN (${names.text})
         ${only ? `AND ${p.cve} IN (${only.text})` : ''}`,
      [feedId, release, ...names.params, ...(only?.params ?? [])],
    );
    for (const row of found)
      rows.push({
        source: row.source,
        cve: row.cve,
        status: row.status as TrackerStatus,
        fixedVersion: row.fixed_version,
        urgency: row.urgency,
        nodsa: row.nodsa,
        nodsaReason: row.nodsa_reason,
        nextPointUpdate: Boolean(row.next_point_update),
        archiveVersion: row.archive_version,
        unstableFixedVersion: row.unstable_fixed_version,
      });
  }
  return rows;
}
