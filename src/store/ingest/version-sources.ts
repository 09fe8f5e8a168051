/**
 * Which CVE pairs a report changes (docs/cve.md, "What a report costs"), from its own diff rows: the
 * installed versions it takes off the owner's rows and those it writes, each with the source version
 * it was built from (the catalog cache, else one query on the versions' primary key). A pair changes
 * only if its source version is among the versions taken off and not among those written, or the
 * reverse; whether another row of the owner still has (or already had) it is for the CVE store to
 * read (../cve/owner-findings.ts, refreshOwnerFindings).
 */
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList } from '../../db/sql-runner.ts';
import { isKernelSource } from '../../domain/cve-sources.ts';
import type { PairChange } from '../cve/owner-findings.ts';
import type { VersionSource } from './catalog-cache.ts';
import type { IngestContext } from './ingest-context.ts';

/** The source versions of package version ids: from the cache, what it lacks in one query per batch. */
export async function sourcesOfVersions(
  ctx: IngestContext,
  versionIds: readonly number[],
): Promise<Map<number, VersionSource>> {
  const { tx, database, cache } = ctx;
  const found = new Map<number, VersionSource>();
  const missing: number[] = [];
  for (const id of new Set(versionIds)) {
    const source = cache.versionSource(id);
    if (source) found.set(id, source);
    else missing.push(id);
  }
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  for (const batch of batchRows(database.capabilities, missing, 1)) {
    const ids = inList(database.capabilities, batch);
    const rows = await tx.sql.select<{ id: number; sv: number; name: string; version: string }>(
      `SELECT v.${v.id} AS id, sv.${sv.id} AS sv, s.${s.name} AS name, sv.${sv.version} AS version
       FROM ${v.$table} v JOIN ${sv.$table} sv ON sv.${sv.id} = v.${v.srcPackageVersionId}
       JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
       WHERE v.${v.id} IN (${ids.text})`,
      ids.params,
    );
    for (const row of rows) {
      const source = { srcVersionId: Number(row.sv), name: row.name, version: row.version };
      cache.setVersionSource(Number(row.id), source);
      found.set(Number(row.id), source);
    }
  }
  return found;
}

/** The rows of a written diff whose installed version changed, by package and version id. */
export interface InstalledRowChange {
  /** Installed version ids the report took off rows it removed or moved to another version. */
  replacedVersionIds: readonly number[];
  /** Installed version ids of the rows it added or moved to another version. */
  writtenVersionIds: readonly number[];
  /** Package ids of all those rows (added, moved or removed). */
  packageIds: ReadonlySet<number>;
  /**
   * The installed version ids of every other row of the owner, when the report knew them all (a full
   * report): which candidates they keep is then read from the catalog cache, if it has them all.
   */
  otherVersionIds?: Iterable<number>;
}

/**
 * With a current CVE import (`feedId`, as the owner's lock read it), the pairs the report may have
 * removed or added; null when no source version changed (a rebuild, `+bN`, of the same source
 * version) or there is no import (then no query for sources either).
 */
export async function changedPairs(
  ctx: IngestContext,
  kind: 'host' | 'image',
  feedId: number | null,
  rows: InstalledRowChange,
): Promise<PairChange | null> {
  if (feedId === null) return null;
  const ids = [...rows.replacedVersionIds, ...rows.writtenVersionIds];
  const sources = await sourcesOfVersions(ctx, ids);
  const sourcesOf = (versionIds: readonly number[]) => {
    const bySourceVersion = new Map<number, VersionSource>();
    for (const id of versionIds) {
      const source = sources.get(id);
      if (!source) throw new Error(`Package version ${id} has no source version`);
      // Images get no kernel pairs (docs/cve.md, "Which sources count").
      if (kind === 'image' && isKernelSource(source.name)) continue;
      bySourceVersion.set(source.srcVersionId, source);
    }
    return bySourceVersion;
  };
  const before = sourcesOf(rows.replacedVersionIds);
  const after = sourcesOf(rows.writtenVersionIds);
  const removed = [...before].filter(([id]) => !after.has(id)).map(([, source]) => source);
  const added = [...after].filter(([id]) => !before.has(id)).map(([, source]) => source);
  if (removed.length === 0 && added.length === 0) return null;
  const change: PairChange = { removed, added, changedPackageIds: rows.packageIds };
  const held = rows.otherVersionIds && heldByOtherRows(ctx, rows.otherVersionIds, [...removed, ...added]);
  return held ? { ...change, heldByOtherRows: held } : change;
}

/**
 * Which of the candidates' source versions the other rows' installed versions were built from, from
 * the catalog cache; undefined if it lacks one of them (the CVE store then asks the database).
 */
function heldByOtherRows(
  { cache }: IngestContext,
  versionIds: Iterable<number>,
  candidates: readonly VersionSource[],
): Set<number> | undefined {
  const wanted = new Set(candidates.map((source) => source.srcVersionId));
  const held = new Set<number>();
  for (const id of versionIds) {
    const source = cache.versionSource(id);
    if (!source) return undefined;
    if (wanted.has(source.srcVersionId)) held.add(source.srcVersionId);
  }
  return held;
}
