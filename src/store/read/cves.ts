/**
 * The fleet's CVEs (docs/cve.md, "Pages"): `/cves/` reads the per-CVE counts of `cve_fleet` (sorted,
 * filtered and paged on its indexes), `/cves/<id>` the current import's rows of the CVE and the hosts
 * and images with a finding for it (the import's `cve_version_findings` joined with their pairs).
 */
import { and, asc, count, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { URGENT_RANK_MAX } from '../../domain/cve-findings.ts';
import { isKernelSource } from '../../domain/cve-sources.ts';
import { type CurrentFeed, currentFeed } from '../cve/feed-dataset.ts';
import { exportPages, orderOf, readPage, type SortKey } from './keyset.ts';
import type { ExportOptions, ListOptions, Page } from './list-options.ts';

export const CVE_SORTS = ['default', 'cve', 'urgency', 'fixable', 'affected'] as const;
export type CveSort = (typeof CVE_SORTS)[number];

/** One CVE of the fleet as `/cves/` shows it. */
export interface CveRow {
  cve: string;
  /** From the current import; null when the import lacks it (the CVE left the feed). */
  description: string | null;
  urgency: string;
  /** domain/cve-findings.ts urgencyRank. */
  urgencyRank: number;
  hostsFixable: number;
  hostsUnfixed: number;
  hostsOther: number;
  imagesFixable: number;
  imagesUnfixed: number;
  imagesOther: number;
  fixable: number;
  affected: number;
}

/** `/cves/` one page at a time; null before the first import. */
export async function listCves(
  database: Database,
  options: ListOptions<CveSort>,
): Promise<{ feed: CurrentFeed | null; page: Page<CveRow> }> {
  const feed = await currentFeed(database);
  if (!feed) return { feed, page: { rows: [], total: 0 } };
  const query = cveQuery(database, feed.id, options);
  const f = database.tables.cveFleet;
  const total = database.db.select({ total: count() }).from(f).where(query.where);
  return { feed, page: await readPage(query, options, total) };
}

/** Every CVE of the list in its order, `pageRows` at a time (exports). */
export async function* pageCves(
  database: Database,
  options: ExportOptions<CveSort>,
  pageRows: number,
): AsyncGenerator<CveRow[]> {
  const feed = await currentFeed(database);
  if (!feed) return;
  yield* exportPages(cveQuery(database, feed.id, options), pageRows);
}

function cveQuery(database: Database, feedId: number, options: ExportOptions<CveSort>) {
  const { db, tables, spelling } = database;
  const f = tables.cveFleet;
  const issues = tables.cveIssues;
  // Counts moved to 0 stay as rows; a CVE no host or image has left the list.
  const conditions: SQL[] = [gt(f.affected, 0)];
  if (options.q) conditions.push(spelling.containsIgnoringCase(f.cve, options.q));
  if (options.filter === 'fixable') conditions.push(gt(f.fixable, 0));
  if (options.filter === 'urgent') conditions.push(gt(f.fixable, 0), lte(f.urgencyRank, URGENT_RANK_MAX));
  const where = and(...conditions);
  const descending = options.descending;
  const byCve: SortKey<CveRow> = { column: f.cve, descending, of: (row) => row.cve };
  const keys: SortKey<CveRow>[] = {
    default: [
      { column: f.fixable, descending: true, of: (row: CveRow) => row.fixable },
      { column: f.urgencyRank, of: (row: CveRow) => urgencyRankOf(row) },
      { column: f.cve, descending: true, of: (row: CveRow) => row.cve },
    ],
    cve: [byCve],
    urgency: [
      { column: f.urgencyRank, descending, of: urgencyRankOf },
      { ...byCve, descending: false },
    ],
    fixable: [
      { column: f.fixable, descending, of: (row: CveRow) => row.fixable },
      { ...byCve, descending: false },
    ],
    affected: [
      { column: f.affected, descending, of: (row: CveRow) => row.affected },
      { ...byCve, descending: false },
    ],
  }[options.sort];
  return {
    where,
    keys,
    select: (condition: SQL | undefined) =>
      db
        .select({
          cve: f.cve,
          description: issues.description,
          urgency: f.urgency,
          urgencyRank: f.urgencyRank,
          hostsFixable: f.hostsFixable,
          hostsUnfixed: f.hostsUnfixed,
          hostsOther: f.hostsOther,
          imagesFixable: f.imagesFixable,
          imagesUnfixed: f.imagesUnfixed,
          imagesOther: f.imagesOther,
          fixable: f.fixable,
          affected: f.affected,
        })
        .from(f)
        .leftJoin(issues, and(eq(issues.feedId, feedId), eq(issues.cve, f.cve)))
        .where(condition),
  };
}

const urgencyRankOf = (row: CveRow) => row.urgencyRank;

/** One tracker row of the CVE: a (release, source) status. */
export interface CveStatusRow {
  codename: string;
  source: string;
  status: string;
  fixedVersion: string | null;
  urgency: string;
  nodsa: string | null;
  nodsaReason: string | null;
  nextPointUpdate: boolean;
}

/** `/cves/<id>`: what the tracker says and the fleet's counts. */
export interface CveDetail {
  cve: string;
  feed: CurrentFeed;
  description: string | null;
  scope: string | null;
  debianBug: number | null;
  statuses: CveStatusRow[];
  fleet: CveRow | null;
}

/** The CVE as the current import has it; null without an import or when neither knows it. */
export async function findCve(database: Database, cve: string): Promise<CveDetail | null> {
  const feed = await currentFeed(database);
  if (!feed) return null;
  const { db, tables } = database;
  const { cveIssues: i, cvePackageStatus: p, cveFleet: f } = tables;
  const [[issue], statuses, [fleet]] = await Promise.all([
    db
      .select({ description: i.description, scope: i.scope, debianBug: i.debianBug })
      .from(i)
      .where(and(eq(i.feedId, feed.id), eq(i.cve, cve))),
    db
      .select({
        codename: p.codename,
        source: p.source,
        status: p.status,
        fixedVersion: p.fixedVersion,
        urgency: p.urgency,
        nodsa: p.nodsa,
        nodsaReason: p.nodsaReason,
        nextPointUpdate: p.nextPointUpdate,
      })
      .from(p)
      // No ORDER BY: the planner would walk the whole import in the unique index's order to avoid
      // sorting a handful of rows; they are sorted below.
      .where(and(eq(p.feedId, feed.id), eq(p.cve, cve))),
    cveQuery(database, feed.id, { sort: 'cve', descending: false, q: '', filter: 'all' })
      .select(eq(f.cve, cve))
      .orderBy(asc(f.cve))
      .limit(1),
  ]);
  if (!issue && statuses.length === 0 && !fleet) return null;
  return {
    cve,
    feed,
    description: issue?.description ?? null,
    scope: issue?.scope ?? null,
    debianBug: issue?.debianBug ?? null,
    statuses: statuses
      .map((row) => ({ ...row, nextPointUpdate: Boolean(row.nextPointUpdate) }))
      .sort((a, b) => compareText(a.codename, b.codename) || compareText(a.source, b.source)),
    fleet: fleet && fleet.affected > 0 ? fleet : null,
  };
}

export const CVE_OWNER_SORTS = ['default', 'name'] as const;
export type CveOwnerSort = (typeof CVE_OWNER_SORTS)[number];

/** A host or image with a stored finding for the CVE. */
export interface CveOwnerRow {
  name: string;
  source: string;
  installedVersion: string;
  state: string;
  reason: string | null;
  fixedVersion: string | null;
}

/** The hosts (or images) with a finding for `cve`, worst state first, then by name. */
export async function listCveOwners(
  database: Database,
  kind: 'hosts' | 'images',
  cve: string,
  options: ListOptions<CveOwnerSort>,
): Promise<Page<CveOwnerRow>> {
  const feed = await currentFeed(database);
  if (!feed) return { rows: [], total: 0 };
  const query = cveOwnerQuery(database, feed.id, kind, cve, options);
  return readPage(query, options, query.total());
}

/** Every host (or image) of the CVE in the list's order (exports). */
export async function* pageCveOwners(
  database: Database,
  kind: 'hosts' | 'images',
  cve: string,
  options: ExportOptions<CveOwnerSort>,
  pageRows: number,
): AsyncGenerator<CveOwnerRow[]> {
  const feed = await currentFeed(database);
  if (!feed) return;
  yield* exportPages(cveOwnerQuery(database, feed.id, kind, cve, options), pageRows);
}

/** The stored states in the order pages show them (domain/cve-findings.ts STORED_STATES). */
const STATE_ORDER: Record<string, number> = { fixable: 0, unfixed: 1, uncertain: 2, undetermined: 3 };

/**
 * The CVE's findings in the current import (its CVE index) joined with the owners' pairs at those
 * versions (their version index) and the owners (docs/cve.md, "Stored findings").
 */
function cveOwnerQuery(
  database: Database,
  feedId: number,
  kind: 'hosts' | 'images',
  cve: string,
  options: ExportOptions<CveOwnerSort>,
) {
  const { db, tables, spelling } = database;
  const findings = tables.cveVersionFindings;
  // Both pair tables have identical columns apart from the owner; the host table's type serves for both.
  const pairs =
    kind === 'hosts' ? tables.hostCvePairs : (tables.imageCvePairs as unknown as typeof tables.hostCvePairs);
  const ownerColumn = kind === 'hosts' ? tables.hostCvePairs.hostId : tables.imageCvePairs.imageId;
  const owners = kind === 'hosts' ? tables.hosts : tables.images;
  const onPair = and(
    eq(pairs.codename, findings.codename),
    eq(pairs.source, findings.source),
    eq(pairs.version, findings.version),
  );
  const on = eq(owners.id, ownerColumn);
  const conditions: SQL[] = [eq(findings.feedId, feedId), eq(findings.cve, cve)];
  if (options.q) conditions.push(spelling.containsIgnoringCase(owners.name, options.q));
  if (options.filter === 'fixable') conditions.push(eq(findings.state, 'fixable'));
  const where = and(...conditions);
  const stateRank = sql`CASE ${findings.state} WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 WHEN 'uncertain' THEN 2 ELSE 3 END`;
  const byName: SortKey<CveOwnerRow> = { column: owners.name, of: (row) => row.name };
  const bySource: SortKey<CveOwnerRow> = { column: findings.source, of: (row) => row.source };
  // Two versions of one source (half-way through an upgrade) are two rows.
  const byVersion: SortKey<CveOwnerRow> = { column: pairs.version, of: (row) => row.installedVersion };
  const keys: SortKey<CveOwnerRow>[] =
    options.sort === 'name'
      ? [
          { ...byName, descending: options.descending },
          { ...bySource, descending: options.descending },
          { ...byVersion, descending: options.descending },
        ]
      : [{ column: stateRank, of: (row) => STATE_ORDER[row.state] ?? 3 }, byName, bySource, byVersion];
  return {
    total: () =>
      db
        .select({ total: count() })
        .from(findings)
        .innerJoin(pairs, onPair)
        .innerJoin(owners, on)
        .where(where),
    where,
    keys,
    select: (condition: SQL | undefined) =>
      db
        .select({
          name: owners.name,
          source: findings.source,
          installedVersion: pairs.version,
          state: findings.state,
          reason: findings.reason,
          fixedVersion: findings.fixedVersion,
        })
        .from(findings)
        .innerJoin(pairs, onPair)
        .innerJoin(owners, on)
        .where(condition),
  };
}

/** The CVEs of some source packages that touch the fleet, for a package's or source package's page. */
export interface SourceCves {
  feedTime: Date | null;
  /** The first rows in the list's default order. */
  rows: CveRow[];
  total: number;
}

/** CVEs listed on a package page; the rest are on /cves/. */
export const SOURCE_CVE_ROWS = 100;

/**
 * The CVEs the current import lists for `sources` (kernel sources as `linux`) in the fleet's
 * releases that touch a host or image, with their fleet counts: the (feed, codename, source) prefix
 * of the status index, then cve_fleet by CVE.
 */
export async function readSourceCves(database: Database, sources: readonly string[]): Promise<SourceCves> {
  const feed = await currentFeed(database);
  if (!feed || feed.releases.length === 0 || sources.length === 0)
    return { feedTime: feed?.feedTime ?? null, rows: [], total: 0 };
  const { db, tables } = database;
  const p = tables.cvePackageStatus;
  const names = [...new Set(sources.map((name) => (isKernelSource(name) ? 'linux' : name)))];
  const ofSources = inArray(
    tables.cveFleet.cve,
    db
      .select({ cve: p.cve })
      .from(p)
      .where(and(eq(p.feedId, feed.id), inArray(p.codename, feed.releases), inArray(p.source, names))),
  );
  const query = cveQuery(database, feed.id, { sort: 'default', descending: false, q: '', filter: 'all' });
  const where = and(query.where, ofSources);
  const [rows, [total]] = await Promise.all([
    query
      .select(where)
      .orderBy(...orderOf(query.keys))
      .limit(SOURCE_CVE_ROWS),
    db.select({ n: count() }).from(tables.cveFleet).where(where),
  ]);
  return { feedTime: feed.feedTime, rows, total: total?.n ?? 0 };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
