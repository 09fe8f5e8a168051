/**
 * What the history pages read (docs/history.md): a host's or image's timeline, newest first, paged
 * on the (owner, id) index; the fleet's changes in a time range, grouped by source package; the
 * latest changes of one package or source package.
 */
import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { EVENT_KINDS, PACKAGE_CHANGE_KINDS } from '../../domain/package-events.ts';
import { toMillis } from '../../lib/raw-timestamp.ts';
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
 * The groups of the range, most hosts first, in two steps: the events are grouped by kind and binary
 * versions on the (created, owner kind, kind, versions, owner) index alone, then those groups (few)
 * are named and merged by source package and source versions. A source group's `hosts` is the most
 * hosts of any of its binary packages' changes (the hosts that upgraded `openssl` and `libssl3`
 * together count once); `changes` adds them up.
 */
async function readChangeGroups(database: Database, options: ChangesOptions): Promise<ChangeGroup[]> {
  const t = database.tables;
  const e = t.packageEvents;
  const stamp = (date: Date) => database.spelling.timestampParam(date);
  const kinds = (PACKAGE_CHANGE_KINDS as readonly string[]).includes(options.filter)
    ? [options.filter]
    : [...PACKAGE_CHANGE_KINDS];
  const conditions: SQL[] = [
    sql`e.created >= ${stamp(options.from)}`,
    sql`e.created < ${stamp(options.to)}`,
    sql`e.owner_kind = 'host'`,
    sql`e.kind IN (${sql.join(
      kinds.map((kind) => sql`${kind}`),
      sql`, `,
    )})`,
  ];
  if (options.hosts)
    conditions.push(
      sql`e.owner_id IN (SELECT h.id FROM ${t.hosts} h WHERE lower(h.name) LIKE ${likeOfPattern(options.hosts)} ESCAPE '!')`,
    );
  const named: SQL[] = [];
  if (options.q) {
    const like = `%${escapeLike(options.q)}%`;
    named.push(sql`(lower(s.name) LIKE ${like} ESCAPE '!' OR lower(p.name) LIKE ${like} ESCAPE '!')`);
  }
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT s.name AS source, g.kind AS kind, fs.version AS from_version, ts.version AS to_version,
               MAX(g.hosts) AS hosts, SUM(g.changes) AS changes, MIN(g.first) AS first, MAX(g.last) AS last
        FROM (SELECT e.kind, e.from_version_id, e.to_version_id, COUNT(DISTINCT e.owner_id) AS hosts,
                     COUNT(*) AS changes, MIN(e.created) AS first, MAX(e.created) AS last
              FROM ${e} e ${database.spelling.forceIndex('package_events_created_idx')}
              WHERE ${sql.join(conditions, sql` AND `)}
              GROUP BY e.kind, e.from_version_id, e.to_version_id) g
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

async function readOwnedChanges(database: Database, where: SQL, limit: number): Promise<PackageChangeRow[]> {
  const t = database.tables;
  const rows = await database.sql.selectSql<Record<string, unknown>>(
    sql`SELECT e.id, e.created, e.kind, e.report_type, p.name AS package_name, f.version AS from_version,
               v.version AS to_version, e.detail, e.owner_kind,
               CASE WHEN e.owner_kind = 'host' THEN h.name ELSE i.name END AS owner_name
        FROM ${t.packageEvents} e
        JOIN ${t.packages} p ON p.id = e.package_id
        LEFT JOIN ${t.packageVersions} f ON f.id = e.from_version_id
        LEFT JOIN ${t.packageVersions} v ON v.id = e.to_version_id
        LEFT JOIN ${t.hosts} h ON e.owner_kind = 'host' AND h.id = e.owner_id
        LEFT JOIN ${t.images} i ON e.owner_kind = 'image' AND i.id = e.owner_id
        WHERE ${where}
        ORDER BY e.id DESC LIMIT ${limit}`,
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
