/**
 * What the history pages read (docs/history.md): a host's or image's timeline, newest first, paged
 * on the (owner, id) index; the fleet's changes in a time range, grouped by source package; the
 * latest changes of one package or source package.
 */
import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { EVENT_KINDS, PACKAGE_CHANGE_KINDS } from '../../domain/package-events.ts';
import { toMillis } from '../../lib/raw-timestamp.ts';
import { HOUR_MS, hourOf } from '../history/change-hours.ts';
import { exportPages, type ListQuery, readPage, type SortKey, slices } from './keyset.ts';
import { type ExportOptions, type ListOptions, type Page, slicePage } from './list-options.ts';

/** Filters of the timeline: every kind, or one. */
export const TIMELINE_FILTERS = ['all', ...EVENT_KINDS] as const;
export type TimelineFilter = (typeof TIMELINE_FILTERS)[number];

/** One event as the timeline shows it. */
export interface TimelineRow {
  id: number;
  created: Date;
  kind: string;
  reportType: string | null;
  packageName: string | null;
  fromVersion: string | null;
  toVersion: string | null;
  detail: string | null;
}

/** Options of a timeline page: `q` filters on the package name, `filter` on the kind. */
export type TimelineOptions = ListOptions<'default'>;

/** One page of the timeline of host or image `ownerId`, newest first. */
export function listTimeline(
  database: Database,
  kind: 'host' | 'image',
  ownerId: number,
  options: TimelineOptions,
): Promise<Page<TimelineRow>> {
  const query = timelineQuery(database, kind, ownerId, options);
  const { packageEvents: e, packages: p } = database.tables;
  const total = database.db
    .select({ total: count() })
    .from(e)
    .leftJoin(p, eq(p.id, e.packageId))
    .where(query.where);
  return readPage(query, options, total);
}

/** The whole timeline in its order, `pageRows` at a time, by keyset (exports). */
export function pageTimeline(
  database: Database,
  kind: 'host' | 'image',
  ownerId: number,
  options: ExportOptions<'default'>,
  pageRows: number,
): AsyncGenerator<TimelineRow[]> {
  return exportPages(timelineQuery(database, kind, ownerId, options), pageRows);
}

function timelineQuery(
  database: Database,
  kind: 'host' | 'image',
  ownerId: number,
  options: ExportOptions<'default'>,
): ListQuery<TimelineRow> {
  const { db, tables, spelling } = database;
  const { packageEvents: e, packages: p } = tables;
  const from = sql`f`;
  const to = sql`t`;
  const conditions: (SQL | undefined)[] = [eq(e.ownerKind, kind), eq(e.ownerId, ownerId)];
  if (options.q) conditions.push(spelling.containsIgnoringCase(p.name, options.q));
  if ((EVENT_KINDS as readonly string[]).includes(options.filter))
    conditions.push(eq(e.kind, options.filter));
  const where = and(...conditions);
  const keys: SortKey<TimelineRow>[] = [{ column: e.id, descending: true, of: (row) => row.id }];
  return {
    keys,
    where,
    select: (condition) =>
      db
        .select({
          id: e.id,
          created: e.created,
          kind: e.kind,
          reportType: e.reportType,
          packageName: p.name,
          fromVersion: sql<string | null>`${from}.version`,
          toVersion: sql<string | null>`${to}.version`,
          detail: e.detail,
        })
        .from(e)
        .leftJoin(p, eq(p.id, e.packageId))
        .leftJoin(sql`${tables.packageVersions} ${from}`, sql`${from}.id = ${e.fromVersionId}`)
        .leftJoin(sql`${tables.packageVersions} ${to}`, sql`${to}.id = ${e.toVersionId}`)
        .where(condition) as never,
  };
}

/** The "what changed" page's choices: a time range, host names, a package, a kind of change. */
export interface ChangesOptions {
  from: Date;
  to: Date;
  /** Shell-style pattern of host names (`*` any characters, `?` one); '' for every host. */
  hosts: string;
  /** Substring of the source or binary package name; '' for every package. */
  q: string;
  /** One kind of change, or every one. */
  filter: string;
}

/** One group of changes: a source package moved by one kind of change between two source versions. */
export interface ChangeGroup {
  source: string;
  kind: string;
  fromVersion: string | null;
  toVersion: string | null;
  /** Hosts with at least one such change. */
  hosts: number;
  /** Binary package changes in the group. */
  changes: number;
  first: Date;
  last: Date;
}

/**
 * The groups of the range, most hosts first, in two steps. First the changes are grouped by kind and
 * binary versions: without a host pattern, whole UTC hours from the hourly rollup
 * (../history/change-hours.ts) and the partial hours at either end from the events; with one, the
 * matching hosts' events of the range on the (owner kind, owner, created, kind, versions) index. Then those groups (few) are named and merged by source package and source
 * versions. A source group's `hosts` is the most hosts of any of its binary packages' changes (the
 * hosts that upgraded `openssl` and `libssl3` together count once); `changes` adds them up. Without a
 * host pattern a binary change's hosts are its changes: a host that made the very same change twice
 * in the range counts twice (docs/history.md, "Known limits").
 */
async function readChangeGroups(database: Database, options: ChangesOptions): Promise<ChangeGroup[]> {
  const t = database.tables;
  const kinds = (PACKAGE_CHANGE_KINDS as readonly string[]).includes(options.filter)
    ? [options.filter]
    : [...PACKAGE_CHANGE_KINDS];
  const named: SQL[] = [];
  if (options.q) {
    const like = `%${escapeLike(options.q)}%`;
    named.push(sql`(lower(s.name) LIKE ${like} ESCAPE '!' OR lower(p.name) LIKE ${like} ESCAPE '!')`);
  }
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT s.name AS source, g.kind AS kind, fs.version AS from_version, ts.version AS to_version,
               MAX(g.hosts) AS hosts, SUM(g.changes) AS changes, MIN(g.first) AS first, MAX(g.last) AS last
        FROM (${binaryChanges(database, options, kinds)}) g
        LEFT JOIN ${t.packageVersions} fv ON fv.id = g.from_version_id
        LEFT JOIN ${t.srcPackageVersions} fs ON fs.id = fv.src_package_version_id
        LEFT JOIN ${t.packageVersions} tv ON tv.id = g.to_version_id
        LEFT JOIN ${t.srcPackageVersions} ts ON ts.id = tv.src_package_version_id
        JOIN ${t.packages} p ON p.id = COALESCE(tv.package_id, fv.package_id)
        JOIN ${t.srcPackages} s ON s.id = COALESCE(ts.src_package_id, fs.src_package_id)
        ${named.length > 0 ? sql`WHERE ${sql.join(named, sql` AND `)}` : sql``}
        GROUP BY s.name, g.kind, fs.version, ts.version
        ORDER BY hosts DESC, s.name, g.kind`,
  );
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.map((row) => ({
    source: String(row.source),
    kind: String(row.kind),
    fromVersion: text(row.from_version),
    toVersion: text(row.to_version),
    hosts: Number(row.hosts),
    changes: Number(row.changes),
    first: new Date(toMillis(row.first) as number),
    last: new Date(toMillis(row.last) as number),
  }));
}

/**
 * The range's changes by kind and binary versions (0 for none): kind, from_version_id,
 * to_version_id, hosts, changes, first, last.
 */
function binaryChanges(database: Database, options: ChangesOptions, kinds: readonly string[]): SQL {
  if (options.hosts) return eventChanges(database, options.from, options.to, kinds, options.hosts);
  const from = options.from.getTime();
  const to = options.to.getTime();
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const endHour = hourOf(to);
  if (firstHour >= endHour) return eventChanges(database, options.from, options.to, kinds);
  const parts = [hourChanges(database, firstHour, endHour, kinds)];
  if (from < firstHour) parts.push(eventChanges(database, options.from, new Date(firstHour), kinds));
  if (endHour < to) parts.push(eventChanges(database, new Date(endHour), options.to, kinds));
  if (parts.length === 1) return parts[0] as SQL;
  return sql`SELECT kind, from_version_id, to_version_id, SUM(hosts) AS hosts, SUM(changes) AS changes,
                    MIN(first) AS first, MAX(last) AS last
             FROM (${sql.join(parts, sql` UNION ALL `)}) u
             GROUP BY kind, from_version_id, to_version_id`;
}

function kindsIn(column: SQL, kinds: readonly string[]): SQL {
  return sql`${column} IN (${sql.join(
    kinds.map((kind) => sql`${kind}`),
    sql`, `,
  )})`;
}

/** Whole hours [`fromHour`, `toHour`) from the hourly rollup. */
function hourChanges(database: Database, fromHour: number, toHour: number, kinds: readonly string[]): SQL {
  const stamp = (ms: number) => database.spelling.timestampParam(new Date(ms));
  return sql`SELECT h.kind, h.from_version_id, h.to_version_id, SUM(h.changes) AS hosts,
                    SUM(h.changes) AS changes, MIN(h.first_change) AS first, MAX(h.last_change) AS last
             FROM ${database.tables.packageChangeHours} h
             WHERE h.hour >= ${stamp(fromHour)} AND h.hour < ${stamp(toHour)} AND ${kindsIn(sql`h.kind`, kinds)}
             GROUP BY h.kind, h.from_version_id, h.to_version_id`;
}

/**
 * The host events of [`from`, `to`). Without `hosts`, from the covering (created, owner kind, kind,
 * versions, owner) index, every change counted (as in the rollup). With `hosts`, the hosts whose name
 * matches it first, then each one's events of the range from the covering (owner kind, owner,
 * created, kind, versions) index, each host counted once per change: the cost follows the matching
 * hosts' events, not the fleet's.
 */
function eventChanges(
  database: Database,
  from: Date,
  to: Date,
  kinds: readonly string[],
  hosts?: string,
): SQL {
  const t = database.tables;
  const stamp = (date: Date) => database.spelling.timestampParam(date);
  const range = [
    sql`e.created >= ${stamp(from)}`,
    sql`e.created < ${stamp(to)}`,
    sql`e.owner_kind = 'host'`,
    kindsIn(sql`e.kind`, kinds),
  ];
  const columns = sql`e.kind, COALESCE(e.from_version_id, 0) AS from_version_id,
                    COALESCE(e.to_version_id, 0) AS to_version_id`;
  const times = sql`COUNT(*) AS changes, MIN(e.created) AS first, MAX(e.created) AS last`;
  const groups = sql`GROUP BY e.kind, e.from_version_id, e.to_version_id`;
  if (hosts) {
    const straight = database.spelling.joinInOrder;
    return sql`SELECT ${columns}, COUNT(DISTINCT e.owner_id) AS hosts, ${times}
               FROM ${t.hosts} h ${straight}
                 ${t.packageEvents} e ${database.spelling.forceIndex('package_events_owner_created_idx')}
                 ON e.owner_id = h.id AND ${sql.join(range, sql` AND `)}
               WHERE lower(h.name) LIKE ${likeOfPattern(hosts)} ESCAPE '!'
               ${groups}`;
  }
  return sql`SELECT ${columns}, COUNT(*) AS hosts, ${times}
             FROM ${t.packageEvents} e ${database.spelling.forceIndex('package_events_created_idx')}
             WHERE ${sql.join(range, sql` AND `)}
             ${groups}`;
}

/** One page of the fleet's change groups in the range. */
export async function listChanges(
  database: Database,
  options: ChangesOptions & { offset: number; limit: number },
): Promise<Page<ChangeGroup>> {
  return slicePage(await readChangeGroups(database, options), options);
}

/** Every change group of the range, `pageRows` at a time (exports). */
export async function* pageChanges(
  database: Database,
  options: ChangesOptions,
  pageRows: number,
): AsyncGenerator<ChangeGroup[]> {
  yield* slices(await readChangeGroups(database, options), pageRows);
}

/** One change of a package's history section, with its host or image. */
export interface PackageChangeRow extends TimelineRow {
  ownerKind: string;
  ownerName: string | null;
}

/** The latest `limit` changes of binary package `packageId`, newest first, on the (package, id) index. */
export async function listPackageChanges(
  database: Database,
  packageId: number,
  limit: number,
): Promise<PackageChangeRow[]> {
  return readOwnedChanges(database, sql`e.package_id = ${packageId}`, limit);
}

/** The latest `limit` changes of the binary packages of source package `sourceId`, newest first. */
export async function listSourcePackageChanges(
  database: Database,
  sourceId: number,
  limit: number,
): Promise<PackageChangeRow[]> {
  const t = database.tables;
  // The source's binary packages, then their events on the (package, id) index.
  const packages = sql`SELECT DISTINCT v.package_id FROM ${t.packageVersions} v
    JOIN ${t.srcPackageVersions} sv ON sv.id = v.src_package_version_id WHERE sv.src_package_id = ${sourceId}`;
  return readOwnedChanges(database, sql`e.package_id IN (${packages})`, limit);
}

/**
 * The latest `limit` events matching `where` (on alias `e`), newest first. The ids are picked first on
 * the (package, id) index alone and only those rows are joined: a package on every host has an event
 * per host and upgrade, and joining them all before the LIMIT cost 11–17 ms at 10,000 hosts with 30
 * days of history (bench/RESULTS.md, "Session 10").
 */
async function readOwnedChanges(database: Database, where: SQL, limit: number): Promise<PackageChangeRow[]> {
  const t = database.tables;
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT e.id, e.created, e.kind, e.report_type, p.name AS package_name, f.version AS from_version,
               v.version AS to_version, e.detail, e.owner_kind,
               CASE WHEN e.owner_kind = 'host' THEN h.name ELSE i.name END AS owner_name
        FROM (SELECT e.id FROM ${t.packageEvents} e WHERE ${where} ORDER BY e.id DESC LIMIT ${limit}) latest
        JOIN ${t.packageEvents} e ON e.id = latest.id
        JOIN ${t.packages} p ON p.id = e.package_id
        LEFT JOIN ${t.packageVersions} f ON f.id = e.from_version_id
        LEFT JOIN ${t.packageVersions} v ON v.id = e.to_version_id
        LEFT JOIN ${t.hosts} h ON e.owner_kind = 'host' AND h.id = e.owner_id
        LEFT JOIN ${t.images} i ON e.owner_kind = 'image' AND i.id = e.owner_id
        ORDER BY e.id DESC`,
  );
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.map((row) => ({
    id: Number(row.id),
    created: new Date(toMillis(row.created) as number),
    kind: String(row.kind),
    reportType: text(row.report_type),
    packageName: text(row.package_name),
    fromVersion: text(row.from_version),
    toVersion: text(row.to_version),
    detail: text(row.detail),
    ownerKind: String(row.owner_kind),
    ownerName: text(row.owner_name),
  }));
}

/** Escapes LIKE wildcards (with `ESCAPE '!'`), lower-cased as the matches compare. */
function escapeLike(text: string): string {
  return text.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`);
}

/** A shell-style host pattern as a LIKE pattern: `*` → `%`, `?` → `_`, the rest literal. */
export function likeOfPattern(pattern: string): string {
  return escapeLike(pattern).replace(/\*/g, '%').replace(/\?/g, '_');
}
