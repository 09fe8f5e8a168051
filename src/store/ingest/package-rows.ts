/**
 * The package rows of one host or image: load them with one query, and write a computed diff with
 * one batched upsert and one batched delete. Host and image package tables have the same shape.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { type SqlNames, sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows } from '../../db/sql-runner.ts';
import type { Tables } from '../../db/types.ts';
import { packageChangesOf } from '../../domain/package-events.ts';
import type { DesiredPackage, RecordedPackage, ReportDiff } from '../../domain/report-diff.ts';
import { toMillis } from '../../lib/raw-timestamp.ts';
import { CountDeltas, countedOf } from '../counts/package-count-deltas.ts';
import type { HourlyChange } from '../history/change-hours.ts';
import { type ResolvedVersion, requestKey, resolveVersions, type VersionRequest } from './catalog.ts';
import type { CatalogScope } from './catalog-cache.ts';
import type { IngestContext } from './ingest-context.ts';

/** Which table holds the rows and which column names the owner. */
export type PackageOwner = { kind: 'host' | 'image'; id: number };

/** A recorded row with its ids and when its candidate was first seen (UTC ms, null without one). */
export interface RecordedRow extends RecordedPackage {
  packageId: number;
  versionId: number;
  upgradeSince: number | null;
}

/** The SQL names host_packages and image_packages share. */
type PackageRowNames = Pick<
  SqlNames<Tables['hostPackages']>,
  | '$table'
  | 'packageId'
  | 'packageVersionId'
  | 'upgradablePackageId'
  | 'upgradableVersionId'
  | 'upgradeType'
  | 'upgradeSince'
  | 'created'
  | 'modified'
>;

/** The owner's package table and owner column, by their SQL names. */
function rowNamesOf(database: Database, owner: PackageOwner): { rows: PackageRowNames; ownerColumn: string } {
  if (owner.kind === 'host') {
    const rows = sqlNames(database.tables.hostPackages);
    return { rows, ownerColumn: rows.hostId };
  }
  const rows = sqlNames(database.tables.imagePackages);
  return { rows, ownerColumn: rows.imageId };
}

function tableOf(database: Database, owner: PackageOwner) {
  // Both tables have identical columns apart from the owner; the host table's type serves for both.
  const { hostPackages, imagePackages } = database.tables;
  const table = owner.kind === 'host' ? hostPackages : (imagePackages as unknown as typeof hostPackages);
  const ownerColumn = owner.kind === 'host' ? hostPackages.hostId : imagePackages.imageId;
  return { table, ownerColumn };
}

/**
 * The owner's package rows by package name (one query on the owner's index range, bare ids, no
 * joins): names and versions come from the catalog cache, and what it lacks from one query per
 * kind. With `packageIds`, only the rows of those packages (what a partial report can touch).
 */
export async function loadRecordedRows(
  ctx: IngestContext,
  owner: PackageOwner,
  packageIds?: readonly number[],
): Promise<Map<string, RecordedRow>> {
  const { rows: r, ownerColumn } = rowNamesOf(ctx.database, owner);
  let text = `SELECT ${r.packageId}, ${r.packageVersionId}, ${r.upgradableVersionId}, ${r.upgradeType},
                     ${r.upgradeSince}
              FROM ${r.$table} WHERE ${ownerColumn} = ?`;
  const params: unknown[] = [owner.id];
  if (packageIds) {
    if (packageIds.length === 0) return new Map();
    const list = inList(ctx.database.capabilities, packageIds);
    text += ` AND ${r.packageId} IN (${list.text})`;
    params.push(...list.params);
  }
  const rows = (await ctx.tx.sql.selectValues(text, params)) as IdRow[];
  const byName = namedRows(ctx.cache, rows);
  if (byName) return byName;
  await learnCatalogIds(ctx, rows);
  return namedRows(ctx.cache, rows) ?? new Map();
}

/**
 * package_id, package_version_id, upgradable_version_id, upgrade_type, upgrade_since (arrays: no
 * object per row).
 */
type IdRow = [number, number, number | null, string | null, unknown];

/** The rows by package name, or undefined if the cache lacks a name or a version. */
function namedRows(cache: CatalogScope, rows: readonly IdRow[]): Map<string, RecordedRow> | undefined {
  const byName = new Map<string, RecordedRow>();
  for (const row of rows) {
    const packageId = row[0];
    const upgradeId = row[2];
    const name = cache.packageName(packageId);
    const version = cache.versionText(row[1]);
    const upgradeVersion = upgradeId === null ? null : cache.versionText(upgradeId);
    if (name === undefined || version === undefined || upgradeVersion === undefined) return undefined;
    byName.set(name, {
      name,
      packageId,
      versionId: row[1],
      version,
      upgradeVersion,
      upgradeType: row[3],
      upgradeSince: toMillis(row[4]),
    });
  }
  return byName;
}

/** Puts into the cache the package names and version strings of `rows` that it does not know yet. */
async function learnCatalogIds(
  { tx, database, cache }: IngestContext,
  rows: readonly IdRow[],
): Promise<void> {
  const names = new Set<number>();
  const versions = new Set<number>();
  for (const row of rows) {
    const upgradeId = row[2];
    if (cache.packageName(row[0]) === undefined) names.add(row[0]);
    if (cache.versionText(row[1]) === undefined) versions.add(row[1]);
    if (upgradeId !== null && cache.versionText(upgradeId) === undefined) versions.add(upgradeId);
  }
  const { capabilities } = database;
  const p = sqlNames(database.tables.packages);
  for (const batch of batchRows(capabilities, [...names], 2)) {
    const list = inList(capabilities, batch);
    const found = await tx.sql.select<{ id: number; name: string }>(
      `SELECT ${p.id} AS id, ${p.name} AS name FROM ${p.$table} WHERE ${p.id} IN (${list.text})`,
      list.params,
    );
    for (const row of found) cache.set('package', row.name, row.id);
  }
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  for (const batch of batchRows(capabilities, [...versions], 2)) {
    const list = inList(capabilities, batch);
    // With each version's source version, for the CVE pairs (./version-sources.ts).
    const found = await tx.sql.select<{
      id: number;
      package_id: number;
      os_id: number;
      version: string;
      sv: number;
      source: string;
      source_version: string;
    }>(
      `SELECT v.${v.id} AS id, v.${v.packageId} AS package_id, v.${v.osId} AS os_id, v.${v.version} AS version,
         sv.${sv.id} AS sv, s.${s.name} AS source, sv.${sv.version} AS source_version
       FROM ${v.$table} v JOIN ${sv.$table} sv ON sv.${sv.id} = v.${v.srcPackageVersionId}
       JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
       WHERE v.${v.id} IN (${list.text})`,
      list.params,
    );
    for (const row of found) {
      cache.setVersion('version', row.os_id, row.package_id, row.version, row.id);
      cache.setVersionSource(Number(row.id), {
        srcVersionId: Number(row.sv),
        name: row.source,
        version: row.source_version,
      });
    }
  }
}

/** Adds the source names of the recorded versions (needed to move the rows to another OS). */
export async function loadRecordedSources(
  { tx, database }: IngestContext,
  owner: PackageOwner,
  recorded: Map<string, RecordedRow>,
): Promise<void> {
  const { table, ownerColumn } = tableOf(database, owner);
  const { packages, packageVersions, srcPackageVersions, srcPackages } = database.tables;
  const rows = await tx.sql.selectSql<{
    name: string;
    source: string;
    upgrade_source: string | null;
  }>(
    sql`SELECT p.name, s.name AS source, us.name AS upgrade_source
        FROM ${table} r
        JOIN ${packages} p ON p.id = r.${sql.identifier(table.packageId.name)}
        JOIN ${packageVersions} v ON v.id = r.${sql.identifier(table.packageVersionId.name)}
        JOIN ${srcPackageVersions} sv ON sv.id = v.${sql.identifier(packageVersions.srcPackageVersionId.name)}
        JOIN ${srcPackages} s ON s.id = sv.${sql.identifier(srcPackageVersions.srcPackageId.name)}
        LEFT JOIN ${packageVersions} u ON u.id = r.${sql.identifier(table.upgradableVersionId.name)}
        LEFT JOIN ${srcPackageVersions} usv ON usv.id = u.${sql.identifier(packageVersions.srcPackageVersionId.name)}
        LEFT JOIN ${srcPackages} us ON us.id = usv.${sql.identifier(srcPackageVersions.srcPackageId.name)}
        WHERE r.${sql.identifier(ownerColumn.name)} = ${owner.id}`,
  );
  for (const row of rows) {
    const recordedRow = recorded.get(row.name);
    if (!recordedRow) continue;
    recordedRow.source = row.source;
    if (row.upgrade_source !== null) recordedRow.upgradeSource = row.upgrade_source;
  }
}

/** How a diff enters the owner's history (docs/history.md). */
export interface DiffHistory {
  /** The report's update_type. */
  reportType: string;
  /** The owner's first report: one `baseline` event (with its package count) instead of one per package. */
  baseline: boolean;
}

/** When the row's candidate was first seen: kept while the candidate stays, the report's time for a new one. */
export function upgradeSinceOf(
  before: RecordedRow | undefined,
  row: Pick<DesiredPackage, 'upgrade'>,
  now: number,
): number | null {
  if (!row.upgrade) return null;
  if (before && before.upgradeVersion === row.upgrade.version && before.upgradeSince !== null)
    return before.upgradeSince;
  return now;
}

/**
 * Writes `diff` for the owner: resolves the versions it needs on `osId`, upserts, deletes, records
 * what changed in the packages' counts (../counts/package-count-deltas.ts) and in the owner's history
 * (one multi-row INSERT of events). Returns whether a package was upgraded, the changes for the hourly
 * rollup, and the installed version ids of the rows whose installed version it added or changed.
 */
export async function writePackageDiff(
  ctx: IngestContext,
  owner: PackageOwner,
  osId: number,
  recorded: ReadonlyMap<string, RecordedRow>,
  diff: ReportDiff,
  history: DiffHistory,
): Promise<{ upgraded: boolean; changes: HourlyChange[]; installedChanged: ResolvedVersion[] }> {
  const { tx, database } = ctx;
  const requests: VersionRequest[] = diff.catalogOnly.map((item) => ({
    name: item.name,
    version: item.version,
    source: item.source,
    sourceVersion: item.source_version,
  }));
  for (const row of diff.writes) {
    requests.push({
      name: row.name,
      version: row.version,
      source: row.source,
      sourceVersion: row.sourceVersion,
    });
    if (row.upgrade)
      requests.push({ name: row.name, version: row.upgrade.version, source: row.upgrade.source });
  }
  const ids = await resolveVersions(ctx, osId, requests);
  const idOf = (name: string, version: string): ResolvedVersion => {
    const id = ids.get(requestKey(name, version));
    if (!id) throw new Error(`Version ${name} ${version} was not resolved`);
    return id;
  };

  const { capabilities, spelling } = database;
  const { rows: r, ownerColumn } = rowNamesOf(database, owner);
  const stamp = spelling.timestampParam(ctx.now);
  const nowMs = ctx.now.getTime();
  const deltas = new CountDeltas();
  // Rows whose installed version is new or another: the sources whose CVE findings may change.
  const installedChanged: ResolvedVersion[] = [];
  const upserts = diff.writes.map((row) => {
    const installed = idOf(row.name, row.version);
    const upgrade = row.upgrade ? idOf(row.name, row.upgrade.version) : null;
    const before = recorded.get(row.name);
    if (before?.version !== row.version) installedChanged.push(installed);
    if (before) deltas.add(before.packageId, countedOf(before), -1);
    deltas.add(installed.packageId, { upgrade: upgrade !== null, upgradeType: row.upgradeType }, 1);
    const since = upgradeSinceOf(before, row, nowMs);
    return [
      owner.id,
      installed.packageId,
      installed.versionId,
      upgrade?.packageId ?? null,
      upgrade?.versionId ?? null,
      upgrade ? row.upgradeType : null,
      since === null ? null : spelling.timestampParam(new Date(since)),
      stamp,
      stamp,
    ];
  });
  // Same order everywhere, so that concurrent writers take row locks in one order.
  upserts.sort((a, b) => (a[1] as number) - (b[1] as number));
  // In the order of the values above.
  const columns = [
    ownerColumn,
    r.packageId,
    r.packageVersionId,
    r.upgradablePackageId,
    r.upgradableVersionId,
    r.upgradeType,
    r.upgradeSince,
    r.created,
    r.modified,
  ];
  const updated = [
    r.packageVersionId,
    r.upgradablePackageId,
    r.upgradableVersionId,
    r.upgradeType,
    r.upgradeSince,
    r.modified,
  ];
  const upsert = spelling.upsertClause([ownerColumn, r.packageId], updated);
  await insertRows(tx.sql, capabilities, r.$table, columns, upserts, upsert);

  const removedIds = diff.removals
    .map((name) => recorded.get(name)?.packageId)
    .filter((id) => id !== undefined);
  for (const batch of batchRows(capabilities, removedIds, 2)) {
    const list = inList(capabilities, batch);
    await tx.sql.run(
      `DELETE FROM ${r.$table} WHERE ${ownerColumn} = ? AND ${r.packageId} IN (${list.text})`,
      [owner.id, ...list.params],
    );
  }
  for (const name of diff.removals) {
    const before = recorded.get(name);
    if (before) deltas.add(before.packageId, countedOf(before), -1);
  }
  await ctx.counts.record(tx, deltas);
  const { upgraded, changes } = await writeEvents(ctx, owner, recorded, diff, history, idOf);
  return { upgraded, changes, installedChanged };
}

/**
 * The diff's events, in one multi-row INSERT; whether one of them is an upgrade, and the changes as
 * the hourly rollup keys them (../history/change-hours.ts).
 */
async function writeEvents(
  ctx: IngestContext,
  owner: PackageOwner,
  recorded: ReadonlyMap<string, RecordedRow>,
  diff: ReportDiff,
  history: DiffHistory,
  idOf: (name: string, version: string) => ResolvedVersion,
): Promise<{ upgraded: boolean; changes: HourlyChange[] }> {
  const { tx, database } = ctx;
  const e = sqlNames(database.tables.packageEvents);
  const stamp = database.spelling.timestampParam(ctx.now);
  const events: unknown[][] = [];
  const hourly: HourlyChange[] = [];
  let upgraded = false;
  if (history.baseline) {
    const detail = String(diff.totals.packages);
    events.push([owner.kind, owner.id, stamp, 'baseline', history.reportType, null, null, null, detail]);
  } else {
    for (const change of packageChangesOf(recorded, diff)) {
      const before = recorded.get(change.name);
      const to = change.to === null ? null : idOf(change.name, change.to);
      const packageId = to?.packageId ?? before?.packageId ?? null;
      if (change.kind === 'upgraded') upgraded = true;
      const fromVersionId = change.from === null ? null : (before?.versionId ?? null);
      const toVersionId = to?.versionId ?? null;
      hourly.push({ kind: change.kind, fromVersionId, toVersionId });
      events.push([
        owner.kind,
        owner.id,
        stamp,
        change.kind,
        history.reportType,
        packageId,
        fromVersionId,
        toVersionId,
        null,
      ]);
    }
  }
  const columns = [
    e.ownerKind,
    e.ownerId,
    e.created,
    e.kind,
    e.reportType,
    e.packageId,
    e.fromVersionId,
    e.toVersionId,
    e.detail,
  ];
  await insertRows(tx.sql, database.capabilities, e.$table, columns, events);
  return { upgraded, changes: hourly };
}
