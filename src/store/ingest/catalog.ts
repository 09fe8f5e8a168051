/**
 * Get-or-create of catalog rows in bulk (docs/architecture.md, "A report's path"): OS, kernels,
 * package names, source names, source versions and package versions. One SELECT per kind for
 * everything a report needs that the cache does not know, and one batched insert of what is missing.
 * Inserts are sorted, so that concurrent reports take row locks in the same order.
 */

import { and, eq } from 'drizzle-orm';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows } from '../../db/sql-runner.ts';
import { slugifyKernelName } from '../../domain/kernel-slug.ts';
import { checkOsName } from '../../domain/os-name.ts';
import { sourceVersionOf } from '../../domain/source-version.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import type { IngestContext } from './ingest-context.ts';
import { InvalidOsNameError, InvalidReportError, TransientConflictError } from './report-errors.ts';

/** A package version a report needs; `source` is required only if the version must be created. */
export interface VersionRequest {
  name: string;
  version: string;
  source: string | undefined;
  /** The source version the agent reported; inferred from `version` without it. */
  sourceVersion?: string | undefined;
}

/** Resolved ids of one requested version. */
export interface ResolvedVersion {
  packageId: number;
  versionId: number;
}

/** Key of a request in the map `resolveVersions` returns. */
export function requestKey(name: string, version: string): string {
  return `${name}\u0000${version}`;
}

/** Ids of the package names that exist (cache first, then one query); unknown names are left out. */
export function findPackageIds(ctx: IngestContext, names: Iterable<string>): Promise<Map<string, number>> {
  return lookUpNames(ctx, 'package', [...names]);
}

/** The id of the OS named `name`, creating it if the name is valid (docs/protocol.md, "Host reports"). */
export async function resolveOs({ tx, database, cache }: IngestContext, name: string): Promise<number> {
  const cached = cache.get('os', name);
  if (cached !== undefined) return cached;
  const { operatingSystems } = database.tables;
  const find = async () =>
    (
      await tx.db
        .select({ id: operatingSystems.id })
        .from(operatingSystems)
        .where(eq(operatingSystems.name, name))
    )[0]?.id;
  let id = await find();
  if (id === undefined) {
    const problem = checkOsName(name);
    if (problem) throw new InvalidOsNameError(name, problem);
    await tx.insertIgnore(operatingSystems, [{ name }]);
    id = await find();
  }
  if (id === undefined) throw new TransientConflictError(`OS '${name}' vanished while being created`);
  cache.set('os', name, id);
  return id;
}

/** The id of the kernel (build banner `name`, OS), created if missing; its `release` is kept current. */
export async function resolveKernel(
  { tx, database, cache, now }: IngestContext,
  osId: number,
  kernel: { version: string; release?: string | undefined },
): Promise<number> {
  const release = kernel.release ?? null;
  // The release is part of the key so that a changed release is written once, then cached.
  const key = `${osId}\u0000${kernel.version}\u0000${release ?? ''}`;
  const cached = cache.get('kernel', key);
  if (cached !== undefined) return cached;
  const { kernels } = database.tables;
  const where = and(eq(kernels.name, kernel.version), eq(kernels.osId, osId));
  const find = async () =>
    (await tx.db.select({ id: kernels.id, release: kernels.release }).from(kernels).where(where))[0];
  let row = await find();
  if (!row) {
    await tx.insertIgnore(kernels, [
      {
        name: kernel.version,
        slug: slugifyKernelName(kernel.version),
        release,
        osId,
        created: now,
        modified: now,
      },
    ]);
    row = await find();
  } else if (release !== null && row.release !== release) {
    await tx.db.update(kernels).set({ release, modified: now }).where(eq(kernels.id, row.id));
  }
  if (!row) throw new TransientConflictError(`Kernel '${kernel.version}' vanished while being created`);
  cache.set('kernel', key, row.id);
  return row.id;
}

/**
 * Resolves every requested (name, version) on `osId` to ids, creating missing package names, source
 * names, source versions and package versions. An existing package version keeps its source link.
 * Throws InvalidReportError, before writing anything, when a version to create has no source.
 */
export async function resolveVersions(
  ctx: IngestContext,
  osId: number,
  requests: readonly VersionRequest[],
): Promise<Map<string, ResolvedVersion>> {
  const { cache } = ctx;
  const resolved = new Map<string, ResolvedVersion>();
  if (requests.length === 0) return resolved;
  const unique = new Map<string, VersionRequest>();
  for (const request of requests) {
    const key = requestKey(request.name, request.version);
    const seen = unique.get(key);
    if (!seen || (seen.source === undefined && request.source !== undefined)) unique.set(key, request);
    else if (seen.sourceVersion === undefined && request.sourceVersion !== undefined)
      unique.set(key, { ...seen, sourceVersion: request.sourceVersion });
  }

  const packageIds = await lookUpNames(
    ctx,
    'package',
    [...unique.values()].map((r) => r.name),
  );
  await lookUpVersions(ctx, 'version', osId, [...packageIds.values()]);

  const missing: VersionRequest[] = [];
  for (const [key, request] of unique) {
    const packageId = packageIds.get(request.name);
    const versionId =
      packageId === undefined ? undefined : cache.getVersion('version', osId, packageId, request.version);
    if (packageId !== undefined && versionId !== undefined) resolved.set(key, { packageId, versionId });
    else missing.push(request);
  }
  if (missing.length === 0) return resolved;

  const withoutSource = missing.filter((request) => request.source === undefined);
  if (withoutSource.length > 0) {
    const names = withoutSource.slice(0, 3).map((r) => `${r.name} ${r.version}`);
    throw new InvalidReportError(
      `'source' is required for a package version not recorded yet (${names.join(', ')}${withoutSource.length > 3 ? ', …' : ''})`,
    );
  }

  await insertNames(
    ctx,
    'package',
    missing.map((r) => r.name),
    packageIds,
  );
  const sourceIds = await lookUpNames(
    ctx,
    'srcPackage',
    missing.map((r) => r.source as string),
  );
  await insertNames(
    ctx,
    'srcPackage',
    missing.map((r) => r.source as string),
    sourceIds,
  );

  const srcVersionIds = await ensureSourceVersions(ctx, osId, missing, sourceIds);
  const stamp = ctx.database.spelling.timestampParam(ctx.now);
  const newVersions = missing
    .map((request) => {
      const parentId = packageIds.get(request.name) as number;
      const sourceKey = requestKey(request.source as string, sourceVersionOf(request));
      // package_id, version, os_id, src_package_version_id, created, modified
      const row = [parentId, request.version, osId, srcVersionIds.get(sourceKey), stamp, stamp];
      return { parentId, version: request.version, row };
    })
    .sort((a, b) => a.parentId - b.parentId || compareBinary(a.version, b.version));
  await insertMissingVersions(ctx, 'version', osId, newVersions);
  for (const request of missing) {
    const packageId = packageIds.get(request.name) as number;
    const versionId = cache.getVersion('version', osId, packageId, request.version);
    if (versionId === undefined)
      throw new Error(`Package version ${request.name} ${request.version} was not created`);
    resolved.set(requestKey(request.name, request.version), { packageId, versionId });
  }
  return resolved;
}

async function ensureSourceVersions(
  ctx: IngestContext,
  osId: number,
  missing: readonly VersionRequest[],
  sourceIds: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const { cache } = ctx;
  const wanted = new Map<string, { srcPackageId: number; version: string }>();
  for (const request of missing) {
    const source = request.source as string;
    const version = sourceVersionOf(request);
    wanted.set(requestKey(source, version), { srcPackageId: sourceIds.get(source) as number, version });
  }
  await lookUpVersions(ctx, 'srcVersion', osId, [
    ...new Set([...wanted.values()].map((w) => w.srcPackageId)),
  ]);
  const stamp = ctx.database.spelling.timestampParam(ctx.now);
  const toInsert = [...wanted.values()]
    .sort((a, b) => a.srcPackageId - b.srcPackageId || compareBinary(a.version, b.version))
    .map((w) => ({
      parentId: w.srcPackageId,
      version: w.version,
      // src_package_id, version, os_id, created, modified
      row: [w.srcPackageId, w.version, osId, stamp, stamp],
    }));
  await insertMissingVersions(ctx, 'srcVersion', osId, toInsert);
  const ids = new Map<string, number>();
  for (const [key, w] of wanted) {
    const id = cache.getVersion('srcVersion', osId, w.srcPackageId, w.version);
    if (id === undefined) throw new Error(`Source version ${key} was not created`);
    ids.set(key, id);
  }
  return ids;
}

/**
 * Inserts the versions the cache does not know, then reads back every version of their parents;
 * repeats for rows that still do not show up, then gives up with a retryable error.
 */
async function insertMissingVersions(
  ctx: IngestContext,
  kind: 'version' | 'srcVersion',
  osId: number,
  wanted: readonly { parentId: number; version: string; row: readonly unknown[] }[],
): Promise<void> {
  const { tx, database, cache } = ctx;
  const { table, columns } = versionInsertOf(ctx, kind);
  const isMissing = (w: (typeof wanted)[number]) =>
    cache.getVersion(kind, osId, w.parentId, w.version) === undefined;
  let pending = wanted.filter(isMissing);
  for (let round = 0; round < INSERT_ROUNDS && pending.length > 0; round++) {
    const rows = pending.map((w) => w.row);
    await insertRows(tx.sql, database.capabilities, table, columns, rows, database.spelling.ignoreClause);
    const parents = [...new Set(pending.map((w) => w.parentId))];
    await lookUpVersions(ctx, kind, osId, parents, true);
    pending = pending.filter(isMissing);
  }
  if (pending.length > 0)
    throw new TransientConflictError(`${kind} ${pending[0]?.version} could not be created`);
}

/** The table a version kind is inserted into, and its columns in the order of the rows' values. */
function versionInsertOf({ database }: IngestContext, kind: 'version' | 'srcVersion') {
  if (kind === 'version') {
    const v = sqlNames(database.tables.packageVersions);
    return {
      table: v.$table,
      columns: [v.packageId, v.version, v.osId, v.srcPackageVersionId, v.created, v.modified],
    };
  }
  const v = sqlNames(database.tables.srcPackageVersions);
  return { table: v.$table, columns: [v.srcPackageId, v.version, v.osId, v.created, v.modified] };
}

type NameKind = 'package' | 'srcPackage';

function nameTableOf({ database }: IngestContext, kind: NameKind) {
  return sqlNames(kind === 'package' ? database.tables.packages : database.tables.srcPackages);
}

/** Ids of the given names that exist (cache first, then one query per batch). */
async function lookUpNames(
  ctx: IngestContext,
  kind: NameKind,
  names: readonly string[],
): Promise<Map<string, number>> {
  const { tx, database, cache } = ctx;
  const n = nameTableOf(ctx, kind);
  const ids = new Map<string, number>();
  const unknown: string[] = [];
  for (const name of new Set(names)) {
    const id = cache.get(kind, name);
    if (id === undefined) unknown.push(name);
    else ids.set(name, id);
  }
  for (const batch of batchRows(database.capabilities, unknown, 2)) {
    const names = inList(database.capabilities, batch);
    const rows = await tx.sql.select<{ id: number; name: string }>(
      `SELECT ${n.id} AS id, ${n.name} AS name FROM ${n.$table} WHERE ${n.name} IN (${names.text})`,
      names.params,
    );
    for (const row of rows) {
      ids.set(row.name, row.id);
      cache.set(kind, row.name, row.id);
    }
  }
  return ids;
}

/** Inserts the names not in `ids` yet, then adds their ids to `ids`. */
async function insertNames(
  ctx: IngestContext,
  kind: NameKind,
  names: readonly string[],
  ids: Map<string, number>,
): Promise<void> {
  const { tx, database } = ctx;
  const n = nameTableOf(ctx, kind);
  const absent = [...new Set(names)].filter((name) => !ids.has(name)).sort(compareBinary);
  if (absent.length === 0) return;
  let pending = absent;
  for (let round = 0; round < INSERT_ROUNDS && pending.length > 0; round++) {
    const rows = pending.map((name) => [name]);
    await insertRows(tx.sql, database.capabilities, n.$table, [n.name], rows, database.spelling.ignoreClause);
    for (const [name, id] of await lookUpNames(ctx, kind, pending)) ids.set(name, id);
    pending = pending.filter((name) => !ids.has(name));
  }
  if (pending.length > 0)
    throw new TransientConflictError(`${kind} names could not be created: ${pending[0]}`);
}

/**
 * Loads into the cache every version of the given parents on `osId` (all versions of a package on
 * one OS are few, and the next reports will want them too). `force` re-reads parents already seen.
 */
async function lookUpVersions(
  { tx, database, cache }: IngestContext,
  kind: 'version' | 'srcVersion',
  osId: number,
  parentIds: readonly number[],
  force = false,
): Promise<void> {
  const todo = force ? [...parentIds] : parentIds.filter((id) => !cache.isLoaded(kind, osId, id));
  if (todo.length === 0) return;
  const versions =
    kind === 'version'
      ? sqlNames(database.tables.packageVersions)
      : sqlNames(database.tables.srcPackageVersions);
  const parent = 'packageId' in versions ? versions.packageId : versions.srcPackageId;
  // By parent only: with `os_id = ?` in the WHERE, SQLite's planner picks the os_id index and reads
  // every version of the OS. A parent's versions on other OSes are few, and cached too.
  // A package version's source version comes along (primary-key joins): the CVE pairs a report
  // changes are then known without a query (./version-sources.ts).
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  const sources =
    kind === 'version'
      ? `, sv.${sv.id} AS sv, s.${s.name} AS source, sv.${sv.version} AS source_version
         FROM ${versions.$table} x JOIN ${sv.$table} sv ON sv.${sv.id} = x.${sqlNames(database.tables.packageVersions).srcPackageVersionId}
         JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}`
      : ` FROM ${versions.$table} x`;
  for (const batch of batchRows(database.capabilities, todo, 2)) {
    const parents = inList(database.capabilities, batch);
    const rows = await tx.sql.select<{
      id: number;
      parent_id: number;
      os_id: number;
      version: string;
      sv?: number;
      source?: string;
      source_version?: string;
    }>(
      `SELECT x.${versions.id} AS id, x.${parent} AS parent_id, x.${versions.osId} AS os_id, x.${versions.version} AS version${sources}
       WHERE x.${parent} IN (${parents.text})`,
      parents.params,
    );
    for (const row of rows) {
      cache.setVersion(kind, row.os_id, row.parent_id, row.version, row.id);
      if (row.source !== undefined && row.source_version !== undefined)
        cache.setVersionSource(Number(row.id), {
          srcVersionId: Number(row.sv),
          name: row.source,
          version: row.source_version,
        });
    }
  }
  for (const id of todo) cache.markLoaded(kind, osId, id);
}

/**
 * How many times a batch of missing rows is inserted before the report is retried: on MariaDB,
 * concurrent INSERT … ON DUPLICATE KEY UPDATE statements occasionally leave a row out.
 */
const INSERT_ROUNDS = 3;
