/**
 * The CVE section of a host or image page (docs/cve.md, "Pages"), one page of findings at a time.
 * From the owner's stored pairs joined with the current import's version findings: counts by state in
 * one query, the page's findings in one, their feed rows (for the no-DSA note and the fix queued for a
 * point release) in one, the owner's pending upgrades of their sources in one. An owner whose pairs are
 * missing or were matched before the fixed and not-affected counts were kept is matched live instead
 * (domain/cve-exposure.ts), as every owner was before pairs were stored.
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { inList } from '../../db/sql-runner.ts';
import { assessExposure, type ExposureItem } from '../../domain/cve-exposure.ts';
import { matchCve } from '../../domain/cve-match.ts';
import {
  asLinuxSource,
  isKernelSource,
  runningKernelVersion,
  sourcesToMatch,
} from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { currentFeed } from '../cve/feed-dataset.ts';
import { type FindingOwnerKind, namesOf } from '../cve/owner-findings.ts';
import { readReleaseRows } from '../cve/release-rows.ts';

/** Findings shown per page of the section. */
export const OWNER_CVES_PER_PAGE = 100;

/** The owner's findings: counts over all of them, and one page of them in the section's order. */
export interface OwnerExposure {
  /** This page's findings: vulnerable with a fix, then without, then uncertain and undetermined. */
  items: ExposureItem[];
  /** Findings listed over every page. */
  total: number;
  vulnerable: number;
  fixable: number;
  /** Findings not listed: fixed, or not affected. */
  fixed: number;
  notAffected: number;
  page: number;
  perPage: number;
}

export interface OwnerCves {
  /** When the feed was published (or imported); null before the first import. */
  feedTime: Date | null;
  /** The tracker's codename of the owner's OS; null when it is not a known Debian release. */
  release: string | null;
  /** Whether the current feed holds the release (an end-of-life release is not covered). */
  covered: boolean;
  /** Null unless covered. */
  exposure: OwnerExposure | null;
}

export interface CveOwner {
  kind: FindingOwnerKind;
  id: number;
  os: string;
  /** A host's running kernel banner (`uname -v`). */
  kernelBanner?: string | null;
}

export async function readOwnerCves(
  database: Database,
  owner: CveOwner,
  { page = 1, perPage = OWNER_CVES_PER_PAGE }: { page?: number; perPage?: number } = {},
): Promise<OwnerCves> {
  const feed = await currentFeed(database);
  const release = codenameOfOs(owner.os);
  const covered = feed !== null && release !== null && feed.releases.includes(release);
  const result = { feedTime: feed?.feedTime ?? null, release, covered, exposure: null };
  if (!feed || !release || !covered) return result;
  const wanted = { page: Math.max(1, Math.floor(page)), perPage };
  const exposure =
    (await readStoredExposure(database, owner, feed.id, release, wanted)) ??
    (await matchLive(database, owner, feed.id, release, wanted));
  return { ...result, exposure };
}

/** The state order of the section, as domain/cve-exposure.ts sorts live findings. */
const STATE_RANK = (column: string) =>
  `CASE ${column} WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 WHEN 'uncertain' THEN 2 ELSE 3 END`;

/**
 * From the stored pairs; null when the owner has none, or a pair the current import did not match or
 * matched without counting its fixed and not-affected CVEs (findings stored before those counts).
 */
async function readStoredExposure(
  database: Database,
  owner: CveOwner,
  feedId: number,
  release: string,
  wanted: { page: number; perPage: number },
): Promise<OwnerExposure | null> {
  const { pairs: p, ownerColumn } = namesOf(database, owner.kind);
  const m = sqlNames(database.tables.cveMatchedVersions);
  const f = sqlNames(database.tables.cveVersionFindings);
  const [coverage] = await database.sql.select<{
    pairs: number;
    counted: number;
    fixed: number | null;
    not_affected: number | null;
  }>(
    `SELECT COUNT(*) AS pairs, COUNT(m.${m.fixed}) AS counted, SUM(m.${m.fixed}) AS fixed,
       SUM(m.${m.notAffected}) AS not_affected
     FROM ${p.$table} p LEFT JOIN ${m.$table} m ON m.${m.feedId} = ? AND m.${m.codename} = p.${p.codename}
       AND m.${m.source} = p.${p.source} AND m.${m.version} = p.${p.version}
     WHERE p.${ownerColumn} = ?`,
    [feedId, owner.id],
  );
  const pairs = Number(coverage?.pairs ?? 0);
  if (pairs === 0 || Number(coverage?.counted ?? 0) < pairs) return null;

  // The owner's pairs first, on its unique index, then each pair's findings: a condition on the
  // pairs' release would have the planners read every owner's pairs of the release instead.
  const straight = database.spelling.joinInOrderText;
  const join = `${p.$table} p ${straight} ${f.$table} f ON f.${f.feedId} = ? AND f.${f.codename} = p.${p.codename}
    AND f.${f.source} = p.${p.source} AND f.${f.version} = p.${p.version}
    WHERE p.${ownerColumn} = ?`;
  const params = [feedId, owner.id];
  const byState = new Map<string, number>();
  for (const row of await database.sql.select<{ state: string; n: number }>(
    `SELECT f.${f.state} AS state, COUNT(*) AS n FROM ${join} GROUP BY f.${f.state}`,
    params,
  ))
    byState.set(row.state, Number(row.n));
  const fixable = byState.get('fixable') ?? 0;
  const vulnerable = fixable + (byState.get('unfixed') ?? 0);
  const total = [...byState.values()].reduce((sum, n) => sum + n, 0);
  const page = Math.min(wanted.page, Math.max(1, Math.ceil(total / wanted.perPage)));
  const found = await database.sql.select<{ source: string; version: string; cve: string }>(
    `SELECT p.${p.source} AS source, p.${p.version} AS version, f.${f.cve} AS cve FROM ${join}
     ORDER BY ${STATE_RANK(`f.${f.state}`)}, f.${f.urgencyRank}, f.${f.cve} DESC, p.${p.source}
     LIMIT ${wanted.perPage} OFFSET ${(page - 1) * wanted.perPage}`,
    params,
  );
  const sources = [...new Set(found.map((row) => row.source))];
  // The page's feed rows give each finding's whole reading (notes, queued fixes, the guard).
  const rows = await readReleaseRows(
    database,
    database.sql,
    feedId,
    release,
    sources,
    found.map((row) => row.cve),
  );
  const rowOf = new Map(rows.map((row) => [`${row.source}\u0000${row.cve}`, row]));
  // No finding on this page: no pending upgrade to look for.
  const upgrades =
    found.length === 0
      ? new Map<string, string[]>()
      : (await readOwnerSources(database, owner, { onlyUpgrades: true, sources })).upgrades;
  const items: ExposureItem[] = [];
  for (const { source, version, cve } of found) {
    const row = rowOf.get(`${source}\u0000${cve}`);
    if (!row) continue;
    const finding = matchCve(version, row);
    const fixedVersion = finding.state === 'vulnerable-fixable' ? finding.fixedVersion : null;
    items.push({
      cve,
      source,
      installedVersion: version,
      urgency: row.urgency,
      finding,
      fixedByUpgrade:
        fixedVersion !== null &&
        (upgrades.get(source) ?? []).some((v) => compareDebianVersions(v, fixedVersion) >= 0),
    });
  }
  return {
    items,
    total,
    vulnerable,
    fixable,
    fixed: Number(coverage?.fixed ?? 0),
    notAffected: Number(coverage?.not_affected ?? 0),
    page,
    perPage: wanted.perPage,
  };
}

/** Every installed source matched against the release's feed rows (docs/cve.md, "Matching"). */
async function matchLive(
  database: Database,
  owner: CveOwner,
  feedId: number,
  release: string,
  wanted: { page: number; perPage: number },
): Promise<OwnerExposure> {
  const { installed, upgrades } = await readOwnerSources(database, owner);
  const sources = sourcesToMatch({
    sources: installed,
    kind: owner.kind,
    runningKernel: owner.kernelBanner ? runningKernelVersion(owner.kernelBanner) : null,
  });
  const rows = await readReleaseRows(database, database.sql, feedId, release, [
    ...new Set(sources.map((s) => s.name)),
  ]);
  const { items, fixed, notAffected } = assessExposure(sources, rows, upgrades);
  const page = Math.min(wanted.page, Math.max(1, Math.ceil(items.length / wanted.perPage)));
  const vulnerable = items.filter((i) => i.finding.state.startsWith('vulnerable')).length;
  return {
    items: items.slice((page - 1) * wanted.perPage, page * wanted.perPage),
    total: items.length,
    vulnerable,
    fixable: items.filter((i) => i.finding.state === 'vulnerable-fixable').length,
    fixed,
    notAffected,
    page,
    perPage: wanted.perPage,
  };
}

/**
 * The owner's installed source pairs, and per source the source versions pending upgrades bring (for
 * `linux`, also every installed kernel). `onlyUpgrades` reads only the rows that give upgrades, of
 * `sources` (and of the kernel's).
 */
async function readOwnerSources(
  database: Database,
  owner: CveOwner,
  { onlyUpgrades = false, sources = [] }: { onlyUpgrades?: boolean; sources?: readonly string[] } = {},
) {
  const { packages: r, packageOwner } = namesOf(database, owner.kind);
  const upgradable =
    owner.kind === 'host'
      ? sqlNames(database.tables.hostPackages).upgradableVersionId
      : sqlNames(database.tables.imagePackages).upgradableVersionId;
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  const kernel = `s.${s.name} = 'linux' OR s.${s.name} LIKE 'linux-signed-%'`;
  const only = inList(database.capabilities, sources.length > 0 ? sources : ['']);
  const filter = onlyUpgrades
    ? ` AND ((r.${upgradable} IS NOT NULL AND us.${s.name} IN (${only.text})) OR ${kernel})`
    : '';
  const rows = await database.sql.select<{
    source: string;
    version: string;
    upgrade_source: string | null;
    upgrade_version: string | null;
  }>(
    `SELECT s.${s.name} AS source, sv.${sv.version} AS version,
       us.${s.name} AS upgrade_source, usv.${sv.version} AS upgrade_version
     FROM ${r.$table} r
     JOIN ${v.$table} iv ON iv.${v.id} = r.${r.packageVersionId}
     JOIN ${sv.$table} sv ON sv.${sv.id} = iv.${v.srcPackageVersionId}
     JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
     LEFT JOIN ${v.$table} u ON u.${v.id} = r.${upgradable}
     LEFT JOIN ${sv.$table} usv ON usv.${sv.id} = u.${v.srcPackageVersionId}
     LEFT JOIN ${s.$table} us ON us.${s.id} = usv.${sv.srcPackageId}
     WHERE r.${packageOwner} = ?${filter}`,
    [owner.id, ...(onlyUpgrades ? only.params : [])],
  );
  const installed = rows.map((row) => ({ name: row.source, version: row.version }));
  const upgrades = new Map<string, string[]>();
  const add = (source: { name: string; version: string }) => {
    // Kernel packages install kernels beside the running one: newer ones count for `linux`, after a reboot.
    const { name, version } = isKernelSource(source.name) ? asLinuxSource(source) : source;
    upgrades.set(name, [...(upgrades.get(name) ?? []), version]);
  };
  for (const row of rows) {
    if (isKernelSource(row.source)) add({ name: row.source, version: row.version });
    if (row.upgrade_source !== null && row.upgrade_version !== null)
      add({ name: row.upgrade_source, version: row.upgrade_version });
  }
  return { installed, upgrades };
}
