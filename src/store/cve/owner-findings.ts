/**
 * The CVE findings of hosts and images (docs/cve.md, "Stored findings"). An owner's findings are its
 * (release, source, version) pairs (`host_cve_pairs`, `image_cve_pairs`) joined with the current
 * import's findings of those pairs (`cve_version_findings`, matched once per distinct pair). A report
 * rewrites only the pairs it changed, matches the pairs the import has not matched yet, and moves the
 * owner's `cve_fixable` / `cve_urgent` counters and the per-CVE counts of `cve_fleet` by the difference
 * the changed pairs make; a feed import (./fleet-findings.ts) matches the fleet's distinct pairs and
 * counts again in SQL what its findings changed (or everything).
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows, type SqlRunner } from '../../db/sql-runner.ts';
import {
  addFleetDeltas,
  type FleetDelta,
  ownerCounters,
  ownerStates,
  type StoredFinding,
  type StoredState,
} from '../../domain/cve-findings.ts';
import {
  type InstalledSource,
  isKernelSource,
  runningKernelVersion,
  sourcesToMatch,
} from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { TransientConflictError } from '../ingest/report-errors.ts';
import { matchVersions, storeMatches } from './version-findings.ts';

export type FindingOwnerKind = 'host' | 'image';

/** A source version one of a report's rows was built from (store/ingest/version-sources.ts). */
export interface SourcePair extends InstalledSource {
  srcVersionId: number;
}

/**
 * The pairs a report may have changed, from its own diff rows: the source versions of the installed
 * versions it took off rows and not written (`removed`), written and not taken off (`added`); each
 * changes only if no other row of the owner has that source version.
 */
export interface PairChange {
  removed: readonly SourcePair[];
  added: readonly SourcePair[];
  /** Package ids of the rows whose installed version the report added, replaced or removed. */
  changedPackageIds: ReadonlySet<number>;
  /**
   * Which of the candidates' source version ids the owner's other rows have, when the report knew
   * all its rows and their sources (a full report, the catalog cache): then no query asks.
   */
  heldByOtherRows?: ReadonlySet<number>;
}

/**
 * Which of an owner's pairs to compute again: all of them (a new owner, an OS change, an owner
 * without pairs yet), or those a report's rows changed (`change`) and, with `kernel`, the running kernel's.
 */
export type FindingScope = 'all' | { change: PairChange | null; kernel: boolean };

/**
 * How much a report moved the owner's `cve_fixable` and `cve_urgent`: the caller adds it in the owner
 * row's own UPDATE (store/ingest/owner-rows.ts) rather than in an UPDATE of its own.
 */
export interface CounterMove {
  fixable: number;
  urgent: number;
}

const NO_MOVE: CounterMove = { fixable: 0, urgent: 0 };

/** The current import, as findings need it. */
export interface FindingFeed {
  id: number;
  releases: readonly string[];
}

/**
 * The current import, or null before the first one (one row of a small table). Inside a report's
 * transaction (`runner` a transaction's), the row is share-locked until the report commits: an import
 * cannot become current while a report computes findings from the previous one (on MySQL, where
 * reports run side by side; SQLite's writers never overlap).
 */
export async function currentFindingFeed(
  database: Database,
  runner: SqlRunner,
  { lock = true }: { lock?: boolean } = {},
): Promise<FindingFeed | null> {
  const f = sqlNames(database.tables.cveFeeds);
  const [row] = await runner.select<{ id: number; releases: string }>(
    `SELECT ${f.id} AS id, ${f.releases} AS releases FROM ${f.$table} WHERE ${f.state} = ?${lock ? database.spelling.shareLockClause : ''}`,
    ['current'],
  );
  if (!row) return null;
  return { id: Number(row.id), releases: row.releases === '' ? [] : row.releases.split(',') };
}

/** The columns of host_packages and image_packages read here, by their SQL names. */
type PackageRowNames = { $table: string; packageId: string; packageVersionId: string };

/** The SQL names of an owner kind's pairs table, owner column, owner table and package rows. */
export function namesOf(database: Database, kind: FindingOwnerKind) {
  if (kind === 'host') {
    const pairs = sqlNames(database.tables.hostCvePairs);
    return {
      pairs,
      ownerColumn: pairs.hostId,
      owners: sqlNames(database.tables.hosts),
      packages: sqlNames(database.tables.hostPackages) as PackageRowNames,
      packageOwner: sqlNames(database.tables.hostPackages).hostId,
    };
  }
  const pairs = sqlNames(database.tables.imageCvePairs);
  return {
    pairs: pairs as unknown as ReturnType<typeof sqlNames<typeof database.tables.hostCvePairs>>,
    ownerColumn: pairs.imageId,
    owners: sqlNames(database.tables.images),
    packages: sqlNames(database.tables.imagePackages) as PackageRowNames,
    packageOwner: sqlNames(database.tables.imagePackages).imageId,
  };
}

/**
 * The installed source pairs of owners, by owner: all of them, or those of `names` (and with
 * `kernel`, every kernel source, which the running kernel's rules need).
 */
export async function readOwnerPairs(
  database: Database,
  runner: SqlRunner,
  kind: FindingOwnerKind,
  ownerIds: readonly number[],
  only?: { names: readonly string[]; kernel: boolean },
): Promise<Map<number, InstalledSource[]>> {
  const { packages: r, packageOwner } = namesOf(database, kind);
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  const owners = inList(database.capabilities, ownerIds);
  let text = `SELECT DISTINCT r.${packageOwner} AS owner, s.${s.name} AS source, sv.${sv.version} AS version
    FROM ${r.$table} r
    JOIN ${v.$table} v ON v.${v.id} = r.${r.packageVersionId}
    JOIN ${sv.$table} sv ON sv.${sv.id} = v.${v.srcPackageVersionId}
    JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
    WHERE r.${packageOwner} IN (${owners.text})`;
  const params: unknown[] = [...owners.params];
  if (only) {
    // The packages built from those sources first (a few per source), then the owner's rows of them
    // on its (owner, package) index: not the owner's 1,500 rows each joined to its source.
    const names = inList(database.capabilities, only.names);
    const kernel = only.kernel ? ` OR s2.${s.name} = 'linux' OR s2.${s.name} LIKE 'linux-signed-%'` : '';
    text += ` AND r.${r.packageId} IN (SELECT v2.${v.packageId} FROM ${v.$table} v2
      JOIN ${sv.$table} sv2 ON sv2.${sv.id} = v2.${v.srcPackageVersionId}
      JOIN ${s.$table} s2 ON s2.${s.id} = sv2.${sv.srcPackageId}
      WHERE s2.${s.name} IN (${names.text})${kernel})
      AND (s.${s.name} IN (${names.text})${kernel.replaceAll('s2.', 's.')})`;
    params.push(...names.params, ...names.params);
  }
  const rows = await runner.select<{ owner: number; source: string; version: string }>(text, params);
  const byOwner = new Map<number, InstalledSource[]>();
  for (const row of rows) {
    const owner = Number(row.owner);
    const list = byOwner.get(owner) ?? [];
    list.push({ name: row.source, version: row.version });
    byOwner.set(owner, list);
  }
  return byOwner;
}

/** A pair key within one owner. */
const pairKey = (pair: InstalledSource) => `${pair.name}\u0000${pair.version}`;

/** The owner's stored pairs, all or those of `names`, with the release they were stored under. */
async function readStoredPairs(
  database: Database,
  runner: SqlRunner,
  kind: FindingOwnerKind,
  ownerId: number,
  names?: readonly string[],
): Promise<{ id: number; codename: string; pair: InstalledSource }[]> {
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  const select = `SELECT ${p.id} AS id, ${p.codename} AS codename, ${p.source} AS source, ${p.version} AS version
    FROM ${p.$table} WHERE ${ownerColumn} = ?`;
  type Row = { id: number; codename: string; source: string; version: string };
  const rows: Row[] = [];
  if (!names) rows.push(...(await runner.select<Row>(select, [ownerId])));
  else
    for (const batch of batchRows(database.capabilities, names, 1)) {
      const list = inList(database.capabilities, batch);
      rows.push(
        ...(await runner.select<Row>(`${select} AND ${p.source} IN (${list.text})`, [
          ownerId,
          ...list.params,
        ])),
      );
    }
  return rows.map((row) => ({
    id: Number(row.id),
    codename: row.codename,
    pair: { name: row.source, version: row.version },
  }));
}

/** Whether the owner has any stored pair (an owner without is computed whole). */
async function hasPairs(database: Database, runner: SqlRunner, kind: FindingOwnerKind, ownerId: number) {
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  const rows = await runner.select(`SELECT 1 AS one FROM ${p.$table} WHERE ${ownerColumn} = ? LIMIT 1`, [
    ownerId,
  ]);
  return rows.length > 0;
}

/**
 * The owner's findings under `feedId` of the given pairs (in its release), as stored findings: one
 * query on the version findings' unique index per batch of sources.
 */
async function findingsOfPairs(
  database: Database,
  runner: SqlRunner,
  feedId: number,
  codename: string,
  pairs: readonly InstalledSource[],
): Promise<StoredFinding[]> {
  if (pairs.length === 0) return [];
  const f = sqlNames(database.tables.cveVersionFindings);
  const wanted = new Set(pairs.map(pairKey));
  const names = [...new Set(pairs.map((pair) => pair.name))];
  const found: StoredFinding[] = [];
  for (const batch of batchRows(database.capabilities, names, 2)) {
    const list = inList(database.capabilities, batch);
    const rows = await runner.select<{
      cve: string;
      source: string;
      version: string;
      state: string;
      reason: string | null;
      fixed_version: string | null;
      urgency: string;
      urgency_rank: number;
    }>(
      `SELECT ${f.cve} AS cve, ${f.source} AS source, ${f.version} AS version, ${f.state} AS state,
         ${f.reason} AS reason, ${f.fixedVersion} AS fixed_version, ${f.urgency} AS urgency,
         ${f.urgencyRank} AS urgency_rank
       FROM ${f.$table} WHERE ${f.feedId} = ? AND ${f.codename} = ? AND ${f.source} IN (${list.text})`,
      [feedId, codename, ...list.params],
    );
    for (const row of rows)
      if (wanted.has(pairKey({ name: row.source, version: row.version })))
        found.push({
          cve: row.cve,
          source: row.source,
          installedVersion: row.version,
          state: row.state as StoredState,
          reason: row.reason,
          fixedVersion: row.fixed_version,
          urgency: row.urgency,
          urgencyRank: Number(row.urgency_rank),
        });
  }
  return found;
}

/**
 * The owner's findings of some CVEs over all its pairs (an owner's state for a CVE is its worst over
 * its sources): the owner's pairs joined with the version findings, on the CVE index.
 */
async function ownerFindingsOfCves(
  database: Database,
  runner: SqlRunner,
  kind: FindingOwnerKind,
  feedId: number,
  ownerId: number,
  cves: readonly string[],
): Promise<StoredFinding[]> {
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const found: StoredFinding[] = [];
  for (const batch of batchRows(database.capabilities, cves, 2)) {
    const list = inList(database.capabilities, batch);
    const rows = await runner.select<OwnerFindingRow>(
      // The CVEs' findings first (a few rows on the CVE index), then the owner's pair for each (the
      // version index): not the owner's thousand pairs each probed.
      `SELECT f.${f.cve} AS cve, f.${f.source} AS source, f.${f.version} AS version, f.${f.state} AS state,
         f.${f.urgency} AS urgency, f.${f.urgencyRank} AS urgency_rank
       FROM ${f.$table} f ${database.spelling.joinInOrderText} ${p.$table} p
         ON p.${p.codename} = f.${f.codename} AND p.${p.source} = f.${f.source} AND p.${p.version} = f.${f.version}
           AND p.${ownerColumn} = ?
       WHERE f.${f.feedId} = ? AND f.${f.cve} IN (${list.text})`,
      [ownerId, feedId, ...list.params],
    );
    for (const row of rows) found.push(ownerFindingOf(row));
  }
  return found;
}

/**
 * Computes one owner's pairs again within `scope`, inside a report's transaction (the owner's row is
 * locked): the pairs that differ are written, the pairs the current import has not matched yet are
 * matched (./version-findings.ts), and the counters and per-CVE counts move by what the changed pairs'
 * CVEs make of the owner's worst states. Without an import: one query, nothing written. Returns how
 * the owner's counters move, for the caller to write with the owner's row.
 */
export async function refreshOwnerFindings(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  /** `hasPairs`: whether it has stored pairs, when the caller already read it (with the row's lock). */
  owner: { id: number; os: string; kernelBanner?: string | null; hasPairs?: boolean },
  requested: FindingScope,
  /**
   * The current import's id as the owner's lock statement read it, not locked (null: none), when the
   * caller read it: a pair change then locks it with its first query instead of a query of its own.
   */
  unlockedFeedId?: number | null,
): Promise<CounterMove> {
  if (requested !== 'all' && !requested.change && !requested.kernel) return NO_MOVE;
  if (unlockedFeedId === null) return NO_MOVE;
  const release = codenameOfOs(owner.os);
  const change = requested === 'all' ? null : requested.change;
  const sources = new Set([...(change?.removed ?? []), ...(change?.added ?? [])].map((pair) => pair.name));
  // The kernel's pairs follow the running kernel's rules (docs/cve.md, "Which sources count"): read
  // again, with the sources changed beside them, from the owner's rows.
  const kernel =
    requested !== 'all' && kind === 'host' && (requested.kernel || [...sources].some(isKernelSource));
  // An owner without pairs (its first report since the import, or since pairs were introduced) is
  // computed whole: a scoped report would otherwise leave it with only the pairs of its change.
  if (change && !kernel && release !== null && unlockedFeedId !== undefined && owner.hasPairs === true)
    return applyPairChange(
      tx,
      database,
      kind,
      owner.id,
      { id: unlockedFeedId, locked: false },
      release,
      change,
    );
  const feed = await currentFindingFeed(database, tx.sql);
  if (!feed) return NO_MOVE;
  if (requested !== 'all' && !(owner.hasPairs ?? (await hasPairs(database, tx.sql, kind, owner.id))))
    return refreshPairs(tx, database, kind, owner, 'all', feed);
  if (requested === 'all') return refreshPairs(tx, database, kind, owner, 'all', feed);
  if (change && !kernel && release !== null)
    return applyPairChange(tx, database, kind, owner.id, { id: feed.id, locked: true }, release, change);
  return refreshPairs(tx, database, kind, owner, { sources, kernel }, feed);
}

/**
 * A report's pair change without the kernel. Its candidate pairs change only where no other row of
 * the owner has their source version; which do comes from the report itself (a full report and the
 * catalog cache) or from the one query that also reads the candidates' findings and the import's
 * marks of the added ones and the owner's findings of their CVEs (`readPairChange`). Then, for the
 * added pairs the import has not matched (usually none: another host had them first), their sources'
 * feed rows, two batched inserts and the owner's findings of the new findings' other CVEs; the pairs
 * rewritten (`rewritePairs`); the per-CVE counts moved by the difference, the owner's findings after being those before less the
 * removed pairs' and plus the added pairs'. The counters' move is returned.
 */
async function applyPairChange(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ownerId: number,
  /** `locked`: the import's row is share-locked already; else the first query locks it. */
  feed: { id: number; locked: boolean },
  release: string,
  change: PairChange,
): Promise<CounterMove> {
  const known = change.heldByOtherRows;
  const unheld = (pairs: readonly SourcePair[], held: ReadonlySet<number>) =>
    pairs.filter((pair) => !held.has(pair.srcVersionId));
  const candidates = known
    ? { removed: unheld(change.removed, known), added: unheld(change.added, known) }
    : change;
  if (candidates.removed.length === 0 && candidates.added.length === 0) return NO_MOVE;
  // Reports running side by side (MySQL) share-lock the import so that none can become current while
  // one computes from the previous (currentFindingFeed); SQLite's writers never overlap.
  const lockFeed = !feed.locked && !database.capabilities.serialWriters;
  const read = await readPairChange(database, tx.sql, {
    kind,
    ownerId,
    feedId: feed.id,
    release,
    ...candidates,
    changedPackageIds: known ? null : change.changedPackageIds,
    lockFeed,
  });
  // The import read with the owner's lock is no longer current: start again from it.
  if (lockFeed && !read.feedLocked)
    throw new TransientConflictError('the CVE import changed while a report was computing its findings');
  const held = known ?? read.held;
  const asPair = (pair: SourcePair): InstalledSource => ({ name: pair.name, version: pair.version });
  const removed = unheld(candidates.removed, held).map(asPair);
  const added = unheld(candidates.added, held).map(asPair);
  if (removed.length === 0 && added.length === 0) return NO_MOVE;
  const removedKeys = new Set(removed.map(pairKey));
  const addedKeys = new Set(added.map(pairKey));
  const keyOf = (finding: StoredFinding) =>
    pairKey({ name: finding.source, version: finding.installedVersion });
  const findings = read.findings.filter((finding) => {
    const key = keyOf(finding);
    return removedKeys.has(key) || addedKeys.has(key);
  });
  const unmatched = added.filter((pair) => !read.matched.has(pairKey(pair)));
  if (unmatched.length > 0)
    findings.push(...(await storeMatches(database, tx.sql, feed.id, release, unmatched)));
  const touched = [...new Set(findings.map((finding) => finding.cve))];
  // The owner's findings of the candidates' CVEs came with the first query; only the CVEs of pairs
  // matched just now need a query of their own.
  const uncovered = touched.filter((cve) => !read.ownerCves.has(cve));
  const before = [
    ...read.ownerFindings,
    ...(uncovered.length > 0
      ? await ownerFindingsOfCves(database, tx.sql, kind, feed.id, ownerId, uncovered)
      : []),
  ];
  await rewritePairs(tx, database, kind, ownerId, release, removed, added);
  if (touched.length === 0) return NO_MOVE;
  const after = [
    ...before.filter((finding) => !removedKeys.has(keyOf(finding))),
    ...findings.filter((finding) => addedKeys.has(keyOf(finding))),
  ];
  return moveCounts(tx, database, kind, ownerStates(before), ownerStates(after));
}

/** What `readPairChange` reads, and for whom. */
interface PairChangeQuery {
  kind: FindingOwnerKind;
  ownerId: number;
  feedId: number;
  release: string;
  removed: readonly SourcePair[];
  added: readonly SourcePair[];
  /** When set, which candidates the owner's rows other than these packages' have is read too. */
  changedPackageIds: ReadonlySet<number> | null;
  /** Share-lock the import's row if it is still the current one (`feedLocked` says whether). */
  lockFeed: boolean;
}

/**
 * In one query per batch of candidate pairs (a `UNION ALL`): their findings under the import (the
 * version findings' unique index, on the pairs' sources and versions, `spelling.pairIn`: not every
 * stored version of a source), which added ones the import has matched (the marks' unique index) and, when asked, which
 * candidates' source versions the owner's other rows have (the binary versions built from them on
 * package_versions' source index, then the owner's row of each package). Findings of candidates that
 * turn out held are read for nothing; a round trip more would cost more.
 */
async function readPairChange(
  database: Database,
  runner: SqlRunner,
  query: PairChangeQuery,
): Promise<{
  findings: StoredFinding[];
  matched: Set<string>;
  held: Set<number>;
  feedLocked: boolean;
  /** The owner's findings, over its stored pairs, of every CVE the candidates' findings name… */
  ownerFindings: StoredFinding[];
  /** …and those CVEs. */
  ownerCves: Set<string>;
}> {
  const { feedId, release, changedPackageIds } = query;
  const f = sqlNames(database.tables.cveVersionFindings);
  const m = sqlNames(database.tables.cveMatchedVersions);
  const { packages: r, packageOwner, pairs: p, ownerColumn } = namesOf(database, query.kind);
  const v = sqlNames(database.tables.packageVersions);
  const { capabilities } = database;
  const addedIds = new Set(query.added.map((pair) => pair.srcVersionId));
  const findings: StoredFinding[] = [];
  const matched = new Set<string>();
  const held = new Set<number>();
  let feedLocked = false;
  let first = true;
  const ownerFindings = new Map<string, StoredFinding>();
  const ownerCves = new Set<string>();
  const { spelling } = database;
  const pairsOf = (pairs: readonly SourcePair[]) => pairs.map((pair) => [pair.name, pair.version] as const);
  // Each batch's list is at most twice its length once padded (SQLite).
  for (const batch of batchRows(capabilities, [...query.removed, ...query.added], 12)) {
    const all = spelling.pairIn(f.source, f.version, pairsOf(batch));
    const params: unknown[] = [feedId, release, ...all.params];
    const parts = [
      `SELECT 'f' AS kind, ${f.source} AS source, ${f.version} AS version, ${f.cve} AS cve,
         ${f.state} AS state, ${f.reason} AS reason, ${f.fixedVersion} AS fixed_version,
         ${f.urgency} AS urgency, ${f.urgencyRank} AS urgency_rank, 0 AS package_id
       FROM ${f.$table} WHERE ${f.feedId} = ? AND ${f.codename} = ? AND ${all.text}`,
    ];
    // The owner's findings of those findings' CVEs, over its stored pairs before the change: the CVEs
    // first (distinct; on the unique index, which SQLite would trade for the CVE index's order, a
    // scan of the import), then their findings on the CVE index, then the owner's pair of each.
    const join = spelling.joinInOrderText;
    parts.push(`SELECT 'o', f2.${f.source}, f2.${f.version}, f2.${f.cve}, f2.${f.state}, NULL, NULL,
         f2.${f.urgency}, f2.${f.urgencyRank}, 0
       FROM (SELECT DISTINCT ${f.cve} AS cve FROM ${f.$table} ${spelling.forceIndexText('cve_version_findings_unique')}
             WHERE ${f.feedId} = ? AND ${f.codename} = ? AND ${all.text}) c
       ${join} ${f.$table} f2 ON f2.${f.feedId} = ? AND f2.${f.cve} = c.cve
       ${join} ${p.$table} p ON p.${p.codename} = f2.${f.codename} AND p.${p.source} = f2.${f.source}
         AND p.${p.version} = f2.${f.version} AND p.${ownerColumn} = ?`);
    params.push(feedId, release, ...all.params, feedId, query.ownerId);
    const marked = batch.filter((pair) => addedIds.has(pair.srcVersionId));
    if (marked.length > 0) {
      const marks = spelling.pairIn(m.source, m.version, pairsOf(marked));
      parts.push(`SELECT 'm', ${m.source}, ${m.version}, NULL, NULL, NULL, NULL, NULL, 0, 0
       FROM ${m.$table} WHERE ${m.feedId} = ? AND ${m.codename} = ? AND ${marks.text}`);
      params.push(feedId, release, ...marks.params);
    }
    if (changedPackageIds) {
      const ids = inList(capabilities, [...new Set(batch.map((pair) => pair.srcVersionId))]);
      parts.push(`SELECT 'h', NULL, NULL, NULL, NULL, NULL, NULL, NULL, v.${v.srcPackageVersionId}, r.${r.packageId}
       FROM ${v.$table} v ${database.spelling.joinInOrderText} ${r.$table} r
         ON r.${packageOwner} = ? AND r.${r.packageId} = v.${v.packageId} AND r.${r.packageVersionId} = v.${v.id}
       WHERE v.${v.srcPackageVersionId} IN (${ids.text})`);
      params.push(query.ownerId, ...ids.params);
    }
    if (query.lockFeed && first) {
      // A locking read as one part of the union: in parentheses, MariaDB locks only its rows.
      const c = sqlNames(database.tables.cveFeeds);
      parts.push(`(SELECT 'i', NULL, NULL, NULL, NULL, NULL, NULL, NULL, ${c.id}, 0 FROM ${c.$table}
       WHERE ${c.id} = ? AND ${c.state} = ?${database.spelling.shareLockClause})`);
      params.push(feedId, 'current');
    }
    first = false;
    const rows = await runner.select<
      OwnerFindingRow & {
        kind: string;
        reason: string | null;
        fixed_version: string | null;
        package_id: number;
      }
    >(parts.join(' UNION ALL '), params);
    for (const row of rows) {
      if (row.kind === 'i') feedLocked = true;
      else if (row.kind === 'o') {
        ownerFindings.set(
          `${row.cve}\u0000${pairKey({ name: row.source, version: row.version })}`,
          ownerFindingOf(row),
        );
      } else if (row.kind === 'h') {
        // urgency_rank carries the source version id here.
        if (!changedPackageIds?.has(Number(row.package_id))) held.add(Number(row.urgency_rank));
      } else if (row.kind === 'm') matched.add(pairKey({ name: row.source, version: row.version }));
      else {
        ownerCves.add(row.cve);
        findings.push({
          cve: row.cve,
          source: row.source,
          installedVersion: row.version,
          state: row.state as StoredState,
          reason: row.reason,
          fixedVersion: row.fixed_version,
          urgency: row.urgency,
          urgencyRank: Number(row.urgency_rank),
        });
      }
    }
  }
  return { findings, matched, held, feedLocked, ownerFindings: [...ownerFindings.values()], ownerCves };
}

/**
 * Computes the owner's pairs again, all or those of some sources and of the kernel, from its rows:
 * its installed sources of them against its stored pairs of them.
 */
async function refreshPairs(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  owner: { id: number; os: string; kernelBanner?: string | null },
  scope: 'all' | { sources: ReadonlySet<string>; kernel: boolean },
  feed: FindingFeed,
): Promise<CounterMove> {
  const names = new Set<string>();
  if (scope !== 'all') {
    for (const name of scope.sources) names.add(isKernelSource(name) ? 'linux' : name);
    if (scope.kernel) names.add('linux');
  }
  const release = codenameOfOs(owner.os);
  // Pairs are kept for known releases only; a release the feed lacks has pairs but no findings.
  let wanted: InstalledSource[] = [];
  if (release !== null) {
    const only =
      scope === 'all'
        ? undefined
        : {
            names: [...scope.sources],
            kernel: kind === 'host' && (scope.kernel || [...scope.sources].some(isKernelSource)),
          };
    const installed = (await readOwnerPairs(database, tx.sql, kind, [owner.id], only)).get(owner.id) ?? [];
    wanted = sourcesToMatch({
      sources: installed,
      kind,
      runningKernel: owner.kernelBanner ? runningKernelVersion(owner.kernelBanner) : null,
    });
    if (scope !== 'all') wanted = wanted.filter((pair) => names.has(pair.name));
  }
  const stored = await readStoredPairs(
    database,
    tx.sql,
    kind,
    owner.id,
    scope === 'all' ? undefined : [...names],
  );
  const wantedKeys = new Set(wanted.map(pairKey));
  const removed = stored.filter((row) => row.codename !== release || !wantedKeys.has(pairKey(row.pair)));
  const kept = new Set(stored.filter((row) => !removed.includes(row)).map((row) => pairKey(row.pair)));
  const added = wanted.filter((pair) => !kept.has(pairKey(pair)));
  if (removed.length === 0 && added.length === 0) return NO_MOVE;
  if (release !== null && added.length > 0) await matchVersions(database, tx.sql, feed.id, release, added);
  // The CVEs the change can move: those of the removed and of the added pairs.
  const cves = new Set<string>();
  const byRelease = new Map<string, InstalledSource[]>();
  for (const row of removed) byRelease.set(row.codename, [...(byRelease.get(row.codename) ?? []), row.pair]);
  for (const [codename, pairs] of byRelease)
    for (const finding of await findingsOfPairs(database, tx.sql, feed.id, codename, pairs))
      cves.add(finding.cve);
  if (release !== null)
    for (const finding of await findingsOfPairs(database, tx.sql, feed.id, release, added))
      cves.add(finding.cve);
  const touched = [...cves];
  const before =
    touched.length > 0
      ? ownerStates(await ownerFindingsOfCves(database, tx.sql, kind, feed.id, owner.id, touched))
      : new Map();
  await writePairs(
    tx,
    database,
    kind,
    owner.id,
    release,
    removed.map((row) => row.id),
    added,
  );
  if (touched.length === 0) return NO_MOVE;
  const after = ownerStates(await ownerFindingsOfCves(database, tx.sql, kind, feed.id, owner.id, touched));
  return moveCounts(tx, database, kind, before, after);
}

/**
 * Moves the per-CVE counts from the owner's states `before` to those `after`, and returns how its
 * counters move.
 */
async function moveCounts(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  before: ReturnType<typeof ownerStates>,
  after: ReturnType<typeof ownerStates>,
): Promise<CounterMove> {
  const deltas = new Map<string, FleetDelta>();
  addFleetDeltas(deltas, before, after);
  const was = ownerCounters(before);
  const now = ownerCounters(after);
  await writeFleetDeltas(tx, database, kind, deltas);
  return { fixable: now.fixable - was.fixable, urgent: now.urgent - was.urgent };
}

/**
 * Replaces the owner's pairs `removed` by `added`: a source whose one version goes and another comes
 * (an upgrade, the usual change) is one row moved to the new version, all of them in one UPDATE; the
 * rest are deleted and inserted.
 */
async function rewritePairs(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ownerId: number,
  release: string,
  removed: readonly InstalledSource[],
  added: readonly InstalledSource[],
): Promise<void> {
  const addedByName = new Map<string, InstalledSource>();
  for (const pair of added) if (!addedByName.has(pair.name)) addedByName.set(pair.name, pair);
  const moves: [InstalledSource, InstalledSource][] = [];
  const deleted: InstalledSource[] = [];
  for (const pair of removed) {
    const to = addedByName.get(pair.name);
    if (to) {
      moves.push([pair, to]);
      addedByName.delete(pair.name);
    } else deleted.push(pair);
  }
  const moved = new Set(moves.map(([, to]) => to));
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  // One move per source, so the new version follows from the source alone; the owner in every term
  // of the WHERE, as in deletePairs.
  for (const batch of batchRows(database.capabilities, moves, 5)) {
    const each = batch
      .map(() => `(${ownerColumn} = ? AND ${p.source} = ? AND ${p.version} = ?)`)
      .join(' OR ');
    await tx.sql.run(
      `UPDATE ${p.$table} SET ${p.codename} = ?, ${p.version} = CASE ${p.source} ${batch.map(() => 'WHEN ? THEN ?').join(' ')} END
       WHERE ${each}`,
      [
        release,
        ...batch.flatMap(([, to]) => [to.name, to.version]),
        ...batch.flatMap(([from]) => [ownerId, from.name, from.version]),
      ],
    );
  }
  await deletePairs(tx, database, kind, ownerId, deleted);
  await writePairs(
    tx,
    database,
    kind,
    ownerId,
    release,
    [],
    added.filter((pair) => !moved.has(pair)),
  );
}

/** Deletes the owner's pairs `pairs` (on its pairs' unique index: owner, source, version). */
async function deletePairs(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ownerId: number,
  pairs: readonly InstalledSource[],
): Promise<void> {
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  // The owner in every term: SQLite then seeks each pair on the unique index (a multi-index OR);
  // `owner = ? AND (… OR …)` had it test each of the owner's thousand pairs against the list.
  for (const batch of batchRows(database.capabilities, pairs, 3)) {
    const each = batch
      .map(() => `(${ownerColumn} = ? AND ${p.source} = ? AND ${p.version} = ?)`)
      .join(' OR ');
    await tx.sql.run(
      `DELETE FROM ${p.$table} WHERE ${each}`,
      batch.flatMap((pair) => [ownerId, pair.name, pair.version]),
    );
  }
}

/** Deletes the owner's pairs of `removedIds` and inserts `added` under `release`. */
async function writePairs(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ownerId: number,
  release: string | null,
  removedIds: readonly number[],
  added: readonly InstalledSource[],
): Promise<void> {
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  for (const batch of batchRows(database.capabilities, removedIds, 1)) {
    const ids = inList(database.capabilities, batch);
    await tx.sql.run(`DELETE FROM ${p.$table} WHERE ${p.id} IN (${ids.text})`, ids.params);
  }
  if (release === null || added.length === 0) return;
  await insertRows(
    tx.sql,
    database.capabilities,
    p.$table,
    [ownerColumn, p.codename, p.source, p.version],
    added.map((pair) => [ownerId, release, pair.name, pair.version]),
  );
}

/** Adds the deltas to `cve_fleet`, in CVE order (so that concurrent writers lock rows in one order). */
export async function writeFleetDeltas(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  deltas: ReadonlyMap<string, FleetDelta>,
): Promise<void> {
  const f = sqlNames(database.tables.cveFleet);
  const rows = [...deltas.values()]
    .filter((d) => d.fixable !== 0 || d.unfixed !== 0 || d.other !== 0)
    .sort((a, b) => (a.cve < b.cve ? -1 : a.cve > b.cve ? 1 : 0))
    .map((d) => {
      const own = [d.fixable, d.unfixed, d.other];
      const none = [0, 0, 0];
      return [
        d.cve,
        ...(kind === 'host' ? own : none),
        ...(kind === 'image' ? own : none),
        d.fixable,
        d.fixable + d.unfixed + d.other,
        d.urgency,
        d.urgencyRank,
      ];
    });
  const counts = [
    f.hostsFixable,
    f.hostsUnfixed,
    f.hostsOther,
    f.imagesFixable,
    f.imagesUnfixed,
    f.imagesOther,
    f.fixable,
    f.affected,
  ];
  await insertRows(
    tx.sql,
    database.capabilities,
    f.$table,
    [f.cve, ...counts, f.urgency, f.urgencyRank],
    rows,
    database.spelling.addClause([f.cve], counts, [f.urgency, f.urgencyRank]),
  );
}

/**
 * Takes owners' findings off the per-CVE counts before they are deleted (their pairs go with them by
 * cascade), as the package counts are (store/counts/package-count-deltas.ts subtractOwnerRows).
 */
export async function forgetOwnerFindings(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ownerIds: readonly number[],
): Promise<void> {
  const feed = await currentFindingFeed(database, tx.sql);
  if (!feed) return;
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  for (const batch of batchRows(database.capabilities, ownerIds, 1)) {
    const owners = inList(database.capabilities, batch);
    // Each owner's worst state per CVE: the smallest state rank over its findings.
    const rows = await tx.sql.select<{
      owner: number;
      cve: string;
      state: string;
      urgency: string;
      urgency_rank: number;
    }>(
      `SELECT p.${ownerColumn} AS owner, f.${f.cve} AS cve, f.${f.state} AS state, f.${f.urgency} AS urgency,
         f.${f.urgencyRank} AS urgency_rank
       FROM ${p.$table} p JOIN ${f.$table} f ON f.${f.feedId} = ? AND f.${f.codename} = p.${p.codename}
         AND f.${f.source} = p.${p.source} AND f.${f.version} = p.${p.version}
       WHERE p.${ownerColumn} IN (${owners.text})`,
      [feed.id, ...owners.params],
    );
    const byOwner = new Map<number, StoredFinding[]>();
    for (const row of rows) {
      const list = byOwner.get(Number(row.owner)) ?? [];
      list.push({
        cve: row.cve,
        source: '',
        installedVersion: '',
        state: row.state as StoredState,
        reason: null,
        fixedVersion: null,
        urgency: row.urgency,
        urgencyRank: Number(row.urgency_rank),
      });
      byOwner.set(Number(row.owner), list);
    }
    const deltas = new Map<string, FleetDelta>();
    for (const findings of byOwner.values()) addFleetDeltas(deltas, ownerStates(findings), new Map());
    await writeFleetDeltas(tx, database, kind, deltas);
  }
}

/** A row of an owner's pairs joined with the version findings. */
type OwnerFindingRow = {
  cve: string;
  source: string;
  version: string;
  state: string;
  urgency: string;
  urgency_rank: number;
};

/** An owner's stored finding as its pairs joined with the version findings give it (no reason or fix). */
function ownerFindingOf(row: OwnerFindingRow): StoredFinding {
  return {
    cve: row.cve,
    source: row.source,
    installedVersion: row.version,
    state: row.state as StoredState,
    reason: null,
    fixedVersion: null,
    urgency: row.urgency,
    urgencyRank: Number(row.urgency_rank),
  };
}
