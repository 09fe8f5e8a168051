/**
 * The hosts and images that have one binary package installed (the package detail page), paged
 * without sorting all of a package's installations on every request.
 *
 * The default order is OS, then Debian version (the order of the `versions` given), hosts before
 * images, then name. Each (version, kind) pair is a segment whose size is known before any row is
 * read: from the per-version counts listPackageVersions already computed, or, with a filter or a
 * text filter, from one grouped count per kind. A page reads only the segments it overlaps, each
 * with the cheaper of two plans:
 * - walk: the owners (hosts or images) in name order on their name index, probing the unique
 *   (owner_id, package_id) index for each and stopping after the page; cheap when the segment holds
 *   a large share of the owners. A page past a segment's middle walks from its other end.
 * - sort: the segment's rows through the version index, sorted by name; cheap for a small segment.
 * The name sort merges the host and image lists: the smaller one is read whole and the larger one
 * only around the page.
 */

import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { compareBinary } from '../../lib/compare-binary.ts';
import type { Store } from '../store.ts';
import { keysetPages, type SortKey } from './keyset.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';
import { isSecurityUpgrade } from './security-upgrade.ts';

export const INSTALLATION_SORTS = ['default', 'name'] as const;
export type InstallationSort = (typeof INSTALLATION_SORTS)[number];

export type OwnerKind = 'host' | 'image';

/** A host or image that has a package installed. */
export interface InstallationRow {
  kind: OwnerKind;
  name: string;
  versionId: number;
  upgradableVersion: string | null;
  upgradeType: string | null;
}

/** A version of the package with how many hosts and images have it installed. */
export interface VersionInstallCounts {
  id: number;
  installedOn: Record<OwnerKind, number>;
  /** Rows whose candidate is this version. */
  upgrades: number;
}

/** How a segment's rows are read (see the module comment). */
export type InstallationPlan = 'walk' | 'sort';

/** Knobs for tests; the defaults suit production. */
export interface InstallationTuning {
  /** Reads every segment with this plan instead of the cheaper estimate. */
  plan?: InstallationPlan;
  /**
   * The name sort reads the smaller of the host and image lists whole up to this many rows; past
   * it, both are sorted together in SQL.
   */
  mergeLimit?: number;
}

const KINDS: readonly OwnerKind[] = ['host', 'image'];
const MERGE_LIMIT = 2000;

/** Rows of one kind, of one version (or of all when `versionId` is null), in name order. */
interface Stream {
  kind: OwnerKind;
  versionId: number | null;
  /** Rows under the page's filters. */
  count: number;
  /** Rows installed, before the filters: what the sort plan reads through the version index. */
  installed: number;
}

interface Context {
  database: Database;
  packageId: number;
  options: ListOptions<InstallationSort>;
  tuning: InstallationTuning;
  ownerCounts(): Promise<Record<OwnerKind, number>>;
}

/**
 * Lists the hosts, then the images, that have a package installed, in the order of `versions`
 * (OS, then Debian version), then by name; or by name alone (`sort: 'name'`). Rows whose version
 * is not in `versions` (one created after they were read) are left out until the next request.
 */
export async function listPackageInstallations(
  store: Store,
  packageId: number,
  versions: readonly VersionInstallCounts[],
  options: ListOptions<InstallationSort>,
  tuning: InstallationTuning = {},
): Promise<Page<InstallationRow>> {
  const { database } = store;
  const context: Context = {
    database,
    packageId,
    options,
    tuning,
    ownerCounts: () => store.snapshots.ownerCounts(),
  };
  const counts = await countSegments(context, versions);
  if (options.sort === 'name') return listByName(context, versions, counts);
  const segments: Stream[] = [];
  for (const version of versions)
    for (const kind of KINDS) {
      const count = counts.get(version.id)?.[kind] ?? 0;
      if (count > 0)
        segments.push({ kind, versionId: version.id, count, installed: version.installedOn[kind] });
    }
  const first = options.offset;
  const end = options.offset + options.limit;
  const reads: Promise<InstallationRow[]>[] = [];
  let start = 0;
  for (const segment of segments) {
    const segmentEnd = start + segment.count;
    if (segmentEnd > first && start < end) {
      const from = Math.max(first, start);
      reads.push(readStream(context, segment, from - start, Math.min(end, segmentEnd) - from, false));
    }
    start = segmentEnd;
  }
  return { rows: (await Promise.all(reads)).flat(), total: start };
}

/**
 * Every installation of the list in its order, `pageRows` at a time (exports): each segment (or,
 * sorted by name, the host and the image lists, merged as they come) read by keyset on the owner's
 * name, with the cheaper plan for a page of it.
 */
export async function* pagePackageInstallations(
  store: Store,
  packageId: number,
  versions: readonly VersionInstallCounts[],
  options: ExportOptions<InstallationSort>,
  pageRows: number,
  tuning: InstallationTuning = {},
): AsyncGenerator<InstallationRow[]> {
  const { database } = store;
  const context: Context = {
    database,
    packageId,
    options: { ...options, offset: 0, limit: pageRows },
    tuning,
    ownerCounts: () => store.snapshots.ownerCounts(),
  };
  const counts = await countSegments(context, versions);
  if (options.sort === 'name') {
    yield* mergeByName(context, versions, counts, pageRows);
    return;
  }
  for (const version of versions)
    for (const kind of KINDS) {
      const count = counts.get(version.id)?.[kind] ?? 0;
      if (count > 0) {
        const segment = { kind, versionId: version.id, count, installed: version.installedOn[kind] };
        yield* pageStream(context, segment, false, pageRows);
      }
    }
}

/** The rows of a stream in name order, `pageRows` at a time, each page after the last name read. */
async function* pageStream(
  context: Context,
  stream: Stream,
  descending: boolean,
  pageRows: number,
): AsyncGenerator<InstallationRow[]> {
  if (stream.count === 0) return;
  const plan = context.tuning.plan ?? (await estimatePlan(context, stream, Math.min(pageRows, stream.count)));
  const keys: SortKey<InstallationRow>[] = [{ column: sql`o.name`, descending, of: (row) => row.name }];
  yield* keysetPages(keys, pageRows, (position, limit) =>
    selectStream(context, stream, plan, 0, limit, descending, position),
  );
}

/** The name sort: the host and the image lists merged (ties: hosts first), `pageRows` at a time. */
async function* mergeByName(
  context: Context,
  versions: readonly VersionInstallCounts[],
  counts: Map<number, Record<OwnerKind, number>>,
  pageRows: number,
): AsyncGenerator<InstallationRow[]> {
  const { descending } = context.options;
  const [hosts, images] = KINDS.map((kind) =>
    cursor(
      pageStream(
        context,
        {
          kind,
          versionId: null,
          count: versions.reduce((sum, version) => sum + (counts.get(version.id)?.[kind] ?? 0), 0),
          installed: versions.reduce((sum, version) => sum + version.installedOn[kind], 0),
        },
        descending,
        pageRows,
      ),
    ),
  ) as [Cursor<InstallationRow>, Cursor<InstallationRow>];
  const compare = (a: InstallationRow, b: InstallationRow) =>
    (descending ? -1 : 1) * compareBinary(a.name, b.name) || compareBinary(a.kind, b.kind);
  let page: InstallationRow[] = [];
  for (;;) {
    const a = await hosts.peek();
    const b = await images.peek();
    if (a === undefined && b === undefined) break;
    if (a !== undefined && (b === undefined || compare(a, b) < 0)) page.push(hosts.take());
    else page.push(images.take());
    if (page.length === pageRows) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

interface Cursor<T> {
  /** The next row, reading the next page when needed; undefined at the end. */
  peek(): Promise<T | undefined>;
  /** Moves past the row `peek` gave. */
  take(): T;
}

function cursor<T>(pages: AsyncGenerator<T[]>): Cursor<T> {
  let rows: T[] = [];
  let index = 0;
  return {
    async peek() {
      while (index >= rows.length) {
        const next = await pages.next();
        if (next.done) return undefined;
        rows = next.value;
        index = 0;
      }
      return rows[index];
    },
    take: () => rows[index++] as T,
  };
}

/** What chooseInstallationPlan weighs for one read of a segment. */
export interface PlanEstimate {
  /** Rows the read needs from the nearer end of the segment (skipped plus kept). */
  reach: number;
  /** Rows of the segment under the page's filters. */
  count: number;
  /** Rows of the segment before the text filter (what a sort reads). */
  installed: number;
  /** Owners (hosts or images) in all. */
  owners: number;
  /** Share of the owners that pass the text filter (1 without one). */
  matching: number;
}

/** Picks the plan that reads fewer index entries, by estimate. */
export function chooseInstallationPlan(estimate: PlanEstimate): InstallationPlan {
  const { reach, count, installed, owners, matching } = estimate;
  // A walk goes through about reach × owners / count names (a cheap, covering index scan) and
  // probes the package rows of those that pass the text filter; a sort reads every row of the
  // segment, with its owner, and sorts them.
  const scanned = Math.min(owners, (reach * owners) / Math.max(1, count));
  return scanned * (0.1 + matching) <= installed ? 'walk' : 'sort';
}

/** Installed rows per version and kind, under the page's filters. */
async function countSegments(
  context: Context,
  versions: readonly VersionInstallCounts[],
): Promise<Map<number, Record<OwnerKind, number>>> {
  const { database, options } = context;
  if (options.filter === 'all' && !options.q)
    return new Map(versions.map((version) => [version.id, { ...version.installedOn }]));
  const result = new Map<number, Record<OwnerKind, number>>(
    versions.map((version) => [version.id, { host: 0, image: 0 }]),
  );
  const pairs = options.q ? null : countPairsOnIndexes(context, versions);
  if (pairs) {
    for (const { kind, versionId, n } of await pairs) {
      const entry = result.get(versionId);
      if (entry) entry[kind] += n;
    }
    return result;
  }
  const ownerCounts = options.q ? await context.ownerCounts() : { host: 0, image: 0 };
  const grouped = await Promise.all(
    KINDS.map((kind) => {
      const { table, owners, ownerColumn } = sourceOf(database, kind);
      const installed = versions.reduce((sum, version) => sum + version.installedOn[kind], 0);
      // The text filter: through the owners' names first (a covering scan, then one probe per
      // matching name) when the package is on a good share of them, else through the package rows.
      const from = !options.q
        ? sql`${table} x`
        : installed * 4 >= ownerCounts[kind]
          ? sql`${owners} o ${database.spelling.joinInOrder} ${table} x
              ON x.${ownerColumn} = o.id AND x.package_id = ${context.packageId}`
          : sql`${table} x JOIN ${owners} o ON o.id = x.${ownerColumn}`;
      return database.sql.selectSql<{ versionId: number; n: number }>(
        sql`SELECT x.package_version_id AS versionId, count(*) AS n FROM ${from}
          WHERE ${conditions(context, null)} GROUP BY x.package_version_id`,
      );
    }),
  );
  grouped.forEach((rows, index) => {
    const kind = KINDS[index] as OwnerKind;
    for (const row of rows) {
      const entry = result.get(Number(row.versionId));
      if (entry) entry[kind] = Number(row.n);
    }
  });
  return result;
}

const MAX_PAIR_COUNTS = 24;

/**
 * An upgrade filter's counts by installed version from index intersections alone (MySQL), one
 * count per installed version and kind: with the security filter, (package_version_id) ∩
 * (upgradable_package_id, upgrade_type); else one count per candidate version too,
 * (package_version_id) ∩ (upgradable_version_id). Grouping the filtered rows by installed version
 * would read each row. Null where the dialect cannot intersect indexes or the pairs are too many.
 */
function countPairsOnIndexes(
  context: Context,
  versions: readonly VersionInstallCounts[],
): Promise<{ kind: OwnerKind; versionId: number; n: number }[]> | null {
  const { database, packageId, options } = context;
  if (!database.capabilities.intersectsIndexes) return null;
  const candidates = versions.filter((version) => version.upgrades > 0);
  const pairs: { kind: OwnerKind; versionId: number; where: SQL }[] = [];
  for (const kind of KINDS)
    for (const version of versions) {
      if (version.installedOn[kind] === 0) continue;
      const installed = sql`x.package_version_id = ${version.id}`;
      if (options.filter === 'security')
        pairs.push({
          kind,
          versionId: version.id,
          where: sql`${installed} AND x.upgradable_package_id = ${packageId} AND ${isSecurityUpgrade(sql`x.upgrade_type`)}`,
        });
      else
        for (const candidate of candidates)
          pairs.push({
            kind,
            versionId: version.id,
            where: sql`${installed} AND x.upgradable_version_id = ${candidate.id}`,
          });
    }
  if (pairs.length > MAX_PAIR_COUNTS) return null;
  return Promise.all(
    pairs.map(async ({ kind, versionId, where }) => {
      const [row] = await database.sql.selectSql<{ n: number }>(
        sql`SELECT count(*) AS n FROM ${sourceOf(database, kind).table} x WHERE ${where}`,
      );
      return { kind, versionId, n: Number(row?.n ?? 0) };
    }),
  );
}

/**
 * The name sort (ties: hosts first): the smaller list read whole, the larger one only from
 * `offset - smaller` to the end of the page, which holds every row of it the page can show.
 */
async function listByName(
  context: Context,
  versions: readonly VersionInstallCounts[],
  counts: Map<number, Record<OwnerKind, number>>,
): Promise<Page<InstallationRow>> {
  const { options } = context;
  const streams = KINDS.map(
    (kind): Stream => ({
      kind,
      versionId: null,
      count: versions.reduce((sum, version) => sum + (counts.get(version.id)?.[kind] ?? 0), 0),
      installed: versions.reduce((sum, version) => sum + version.installedOn[kind], 0),
    }),
  );
  const [hosts, images] = streams as [Stream, Stream];
  const total = hosts.count + images.count;
  const [small, big] = hosts.count <= images.count ? [hosts, images] : [images, hosts];
  if (small.count > (context.tuning.mergeLimit ?? MERGE_LIMIT))
    return { rows: await sortAllInSql(context), total };
  const { offset, limit, descending } = options;
  const low = Math.max(0, offset - small.count);
  const [smallRows, window] = await Promise.all([
    readStream(context, small, 0, small.count, descending),
    readStream(context, big, low, offset + limit - low, descending),
  ]);
  const compare = (a: InstallationRow, b: InstallationRow) =>
    (descending ? -1 : 1) * compareBinary(a.name, b.name) || compareBinary(a.kind, b.kind);
  const firstBig = window[0];
  if (!firstBig) return { rows: big.count === 0 ? smallRows.slice(offset, offset + limit) : [], total };
  // Merge from the window's first row, whose position is `low` plus the small rows before it.
  let i = low === 0 ? 0 : smallRows.filter((row) => compare(row, firstBig) < 0).length;
  let j = 0;
  let position = low + i;
  const rows: InstallationRow[] = [];
  while (position < offset + limit && (i < smallRows.length || j < window.length)) {
    const a = smallRows[i];
    const b = window[j];
    const takeSmall = a !== undefined && (b === undefined || compare(a, b) < 0);
    const row = takeSmall ? a : (b as InstallationRow);
    if (takeSmall) i++;
    else j++;
    if (position >= offset) rows.push(row);
    position++;
  }
  return { rows, total };
}

/**
 * Rows `offset` to `offset + limit` of a stream, in name order (descending if asked), reading from
 * whichever end of the stream is nearer.
 */
async function readStream(
  context: Context,
  stream: Stream,
  offset: number,
  limit: number,
  descending: boolean,
): Promise<InstallationRow[]> {
  const end = Math.min(stream.count, offset + limit);
  if (end <= offset) return [];
  const fromEnd = stream.count - end;
  const reverse = fromEnd < offset;
  const skip = reverse ? fromEnd : offset;
  const take = end - offset;
  const plan = context.tuning.plan ?? (await estimatePlan(context, stream, skip + take));
  const direction = descending !== reverse;
  const start = plan === 'walk' && skip > 0 ? await seekOnOwners(context, stream, skip, direction) : null;
  const rows = start
    ? await selectStream(
        context,
        stream,
        plan,
        0,
        take,
        direction,
        sql`o.name ${sql.raw(direction ? '<=' : '>=')} ${start}`,
      )
    : await selectStream(context, stream, plan, skip, take, direction);
  return reverse ? rows.reverse() : rows;
}

/**
 * When every owner of the kind is in the stream (a package on every host, at one version), the
 * stream's order is the owners' own: its row `skip` is the owner at `skip` on the name index alone,
 * which spares the walk a probe per skipped owner. Null otherwise (or if the owners changed).
 */
async function seekOnOwners(
  context: Context,
  stream: Stream,
  skip: number,
  descending: boolean,
): Promise<string | null> {
  const { database, options } = context;
  if (options.q || options.filter !== 'all') return null;
  if ((await context.ownerCounts())[stream.kind] !== stream.count) return null;
  const { owners } = sourceOf(database, stream.kind);
  const [rows, [row]] = await Promise.all([
    database.sql.selectSql<{ n: number }>(sql`SELECT count(*) AS n FROM ${owners}`),
    database.sql.selectSql<{ name: string }>(
      sql`SELECT name FROM ${owners} ORDER BY name ${sql.raw(descending ? 'DESC' : 'ASC')} LIMIT 1 OFFSET ${skip}`,
    ),
  ]);
  return Number(rows[0]?.n) === stream.count && row ? row.name : null;
}

async function estimatePlan(context: Context, stream: Stream, reach: number): Promise<InstallationPlan> {
  const owners = (await context.ownerCounts())[stream.kind];
  const { q } = context.options;
  return chooseInstallationPlan({
    reach,
    count: stream.count,
    installed: stream.installed,
    owners,
    // Without statistics on names, the filter is taken to keep owners as it kept this segment's rows.
    matching: q ? stream.count / Math.max(1, stream.installed) : 1,
  });
}

async function selectStream(
  context: Context,
  stream: Stream,
  plan: InstallationPlan,
  skip: number,
  take: number,
  descending: boolean,
  /** A further condition on `o` (where the read starts). */
  start?: SQL,
): Promise<InstallationRow[]> {
  const { database, packageId } = context;
  const where = [conditions(context, stream.versionId)];
  if (start) where.push(start);
  const { table, owners, ownerColumn } = sourceOf(database, stream.kind);
  const from =
    plan === 'walk'
      ? sql`${owners} o ${database.spelling.joinInOrder} ${table} x
          ON x.${ownerColumn} = o.id AND x.package_id = ${packageId}`
      : sql`${table} x JOIN ${owners} o ON o.id = x.${ownerColumn}`;
  const rows = await database.sql.selectSql<RawRow>(
    sql`SELECT o.name AS name, x.package_version_id AS versionId, u.version AS upgradableVersion,
        x.upgrade_type AS upgradeType
      FROM ${from}
      LEFT JOIN ${database.tables.packageVersions} u ON u.id = x.upgradable_version_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY o.name ${sql.raw(descending ? 'DESC' : 'ASC')} LIMIT ${take} OFFSET ${skip}`,
  );
  return rows.map((row) => toInstallation(stream.kind, row));
}

/** Both lists sorted together by name in SQL: the name sort's plan when both are large. */
async function sortAllInSql(context: Context): Promise<InstallationRow[]> {
  const { database, options } = context;
  const branches = KINDS.map((kind) => {
    const { table, owners, ownerColumn } = sourceOf(database, kind);
    return sql`SELECT ${kind} AS kind, o.name AS name, x.package_version_id AS versionId,
        u.version AS upgradableVersion, x.upgrade_type AS upgradeType
      FROM ${table} x
      JOIN ${owners} o ON o.id = x.${ownerColumn}
      LEFT JOIN ${database.tables.packageVersions} u ON u.id = x.upgradable_version_id
      WHERE ${conditions(context, null)}`;
  });
  const direction = sql.raw(options.descending ? 'DESC' : 'ASC');
  const rows = await database.sql.selectSql<RawRow & { kind: OwnerKind }>(
    sql`${sql.join(branches, sql` UNION ALL `)}
      ORDER BY name ${direction}, kind LIMIT ${options.limit} OFFSET ${options.offset}`,
  );
  return rows.map((row) => toInstallation(row.kind, row));
}

/** The WHERE clause over `x` (the package rows) and `o` (their owners) for the page's filters. */
function conditions(context: Context, versionId: number | null): SQL {
  const { database, packageId, options } = context;
  // A version belongs to one package, and a candidate is always a version of the installed package
  // (ingest resolves both by one name): so `package_id` is left out where a version or an upgrade
  // filter selects the package's rows already, which keeps the planners on one small index.
  const parts: SQL[] = [];
  if (versionId !== null) parts.push(sql`x.package_version_id = ${versionId}`);
  if (options.filter !== 'all') parts.push(sql`x.upgradable_package_id = ${packageId}`);
  else if (versionId === null) parts.push(sql`x.package_id = ${packageId}`);
  if (options.filter === 'security') parts.push(isSecurityUpgrade(sql`x.upgrade_type`));
  if (options.q) parts.push(database.spelling.containsIgnoringCase(sql`o.name`, options.q));
  return sql.join(parts, sql` AND `);
}

function sourceOf(database: Database, kind: OwnerKind) {
  const t = database.tables;
  return kind === 'host'
    ? { table: t.hostPackages, owners: t.hosts, ownerColumn: sql.raw('host_id') }
    : { table: t.imagePackages, owners: t.images, ownerColumn: sql.raw('image_id') };
}

type RawRow = {
  name: string;
  versionId: number;
  upgradableVersion: string | null;
  upgradeType: string | null;
} & Record<string, unknown>;

function toInstallation(kind: OwnerKind, row: RawRow): InstallationRow {
  return {
    kind,
    name: row.name,
    versionId: Number(row.versionId),
    upgradableVersion: row.upgradableVersion,
    upgradeType: row.upgradeType,
  };
}
