/**
 * The packages list's "Fixable CVEs" (docs/cve.md, "Pages"): per binary package, how many distinct
 * CVEs have a fix available for the source versions it is built from that the fleet has, from the
 * current import's version findings (no scan of the installations). Kernel packages count as `linux`
 * at the signed source's kernel version (docs/cve.md, "Which sources count").
 */
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList } from '../../db/sql-runner.ts';
import { asLinuxSource, isKernelSource } from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { currentFeed } from '../cve/feed-dataset.ts';

/**
 * Fixable CVEs per package (all packages, or `ids`); null without an import. Two queries: the
 * packages of every source version with a fixable finding that some host or image has (the findings'
 * CVE index side is small: fixable rows only), and the signed kernel packages' versions.
 */
export async function readPackageFixableCves(
  database: Database,
  ids?: readonly number[],
): Promise<Map<number, number> | null> {
  const feed = await currentFeed(database);
  if (!feed) return null;
  const f = sqlNames(database.tables.cveVersionFindings);
  const s = sqlNames(database.tables.srcPackages);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const v = sqlNames(database.tables.packageVersions);
  const os = sqlNames(database.tables.operatingSystems);
  const hp = sqlNames(database.tables.hostCvePairs);
  const ip = sqlNames(database.tables.imageCvePairs);
  const only = ids ? inList(database.capabilities, ids) : null;
  if (only && ids?.length === 0) return new Map();
  const packageFilter = only ? ` AND v.${v.packageId} IN (${only.text})` : '';
  const held = (p: { $table: string; codename: string; source: string; version: string }) =>
    `EXISTS (SELECT 1 FROM ${p.$table} p WHERE p.${p.codename} = f.${f.codename} AND p.${p.source} = f.${f.source} AND p.${p.version} = f.${f.version})`;
  // A page's packages: only their sources' findings, on the findings' unique index (feed, release,
  // source); the package index: every fixable finding.
  let sourceFilter = '';
  const sourceParams: unknown[] = [];
  if (only) {
    const pageSources = await database.sql.select<{ source: string }>(
      `SELECT DISTINCT s.${s.name} AS source FROM ${v.$table} v
       JOIN ${sv.$table} sv ON sv.${sv.id} = v.${v.srcPackageVersionId} JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
       WHERE v.${v.packageId} IN (${only.text})`,
      only.params,
    );
    const names = [...new Set(pageSources.map((row) => (isKernelSource(row.source) ? 'linux' : row.source)))];
    if (names.length === 0 || feed.releases.length === 0) return new Map();
    const releases = inList(database.capabilities, feed.releases);
    const list = inList(database.capabilities, names);
    sourceFilter = ` AND f.${f.codename} IN (${releases.text}) AND f.${f.source} IN (${list.text})`;
    sourceParams.push(...releases.params, ...list.params);
  }
  const fixable = `SELECT f.${f.codename} AS codename, f.${f.source} AS source, f.${f.version} AS version, f.${f.cve} AS cve
    FROM ${f.$table} f WHERE f.${f.feedId} = ?${sourceFilter} AND f.${f.state} = 'fixable' AND (${held(hp)} OR ${held(ip)})`;
  const findings = await database.sql.select<{
    codename: string;
    source: string;
    version: string;
    cve: string;
  }>(fixable, [feed.id, ...sourceParams]);
  if (findings.length === 0) return new Map();
  // (codename, source, version) → its fixable CVEs.
  const byVersion = new Map<string, string[]>();
  for (const row of findings) {
    const key = `${row.codename}\u0000${row.source}\u0000${row.version}`;
    const list = byVersion.get(key);
    if (list) list.push(row.cve);
    else byVersion.set(key, [row.cve]);
  }
  const sources = [...new Set(findings.map((row) => row.source))];
  const versions: { id: number; os: string; source: string; version: string }[] = [];
  for (const [index, batch] of batchRows(database.capabilities, sources, 2).entries()) {
    const names = inList(database.capabilities, batch);
    // The signed kernels' packages once, with the first batch.
    const kernel = index === 0 && sources.includes('linux') ? ` OR s.${s.name} LIKE 'linux-signed-%'` : '';
    versions.push(
      ...(await database.sql.select<{ id: number; os: string; source: string; version: string }>(
        `SELECT v.${v.packageId} AS id, o.${os.name} AS os, s.${s.name} AS source, sv.${sv.version} AS version
         FROM ${s.$table} s JOIN ${sv.$table} sv ON sv.${sv.srcPackageId} = s.${s.id}
         JOIN ${os.$table} o ON o.${os.id} = sv.${sv.osId}
         JOIN ${v.$table} v ON v.${v.srcPackageVersionId} = sv.${sv.id}
         WHERE (s.${s.name} IN (${names.text})${kernel})${packageFilter}`,
        [...names.params, ...(only?.params ?? [])],
      )),
    );
  }
  const cves = new Map<number, Set<string>>();
  for (const row of versions) {
    const codename = codenameOfOs(row.os);
    if (codename === null) continue;
    const pair = asLinuxSource({ name: row.source, version: row.version });
    const source = row.source.startsWith('linux-signed-') ? pair : { name: row.source, version: row.version };
    const found = byVersion.get(`${codename}\u0000${source.name}\u0000${source.version}`);
    if (!found) continue;
    const set = cves.get(Number(row.id)) ?? new Set<string>();
    for (const cve of found) set.add(cve);
    cves.set(Number(row.id), set);
  }
  return new Map([...cves].map(([id, set]) => [id, set.size]));
}
