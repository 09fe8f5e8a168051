/**
 * What a feed import does to the fleet's findings (docs/cve.md, "Stored findings", "What an import
 * costs"): match every distinct (release, source, version) the fleet has once, before the import is
 * made current; then either make it current together with a count of only the CVEs whose findings
 * changed since the current import (promoteIncrementally), or give pairs to owners that have none,
 * match what reports added meanwhile, and count the owners' counters and `cve_fleet` whole in SQL
 * (recomputeFindings).
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { dropVersionIndex, ensureVersionIndex } from '../../db/pair-indexes.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows, type SqlRunner } from '../../db/sql-runner.ts';
import { URGENT_RANK_MAX } from '../../domain/cve-findings.ts';
import { type InstalledSource, runningKernelVersion, sourcesToMatch } from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { yieldToEventLoop } from '../../lib/yield.ts';
import { withRetries } from '../retry.ts';
import { currentFindingFeed, type FindingOwnerKind, namesOf, readOwnerPairs } from './owner-findings.ts';
import { storeMatches } from './version-findings.ts';

/** What the import did to the findings. */
export interface RecomputeOutcome {
  /** Owners given pairs (those without any). */
  owners: number;
  /** Distinct (release, source, version) pairs matched. */
  pairs: number;
  /** Owner counters and cve_fleet rows that changed. */
  rows: number;
  batches: number;
  ms: number;
  /** Of which giving owners pairs, and counting again. */
  pairsMs: number;
  countMs: number;
  /** Whether the import counted only what it changed, and how many CVEs that was. */
  recount: RecountKind;
  changedCves: number | null;
}

/** Pairs matched per transaction. */
const MATCH_BATCH_PAIRS = 2000;
/** Owners given pairs per transaction. */
const PAIR_BATCH_OWNERS = 50;
/**
 * When at least this many owners and half of them have no pairs, they get them without the pairs'
 * version index (docs/cve.md, "What an import costs", step 4).
 */
const BULK_MIN_OWNERS = 200;
/** Owners given pairs per transaction then: about 0.5 s of SQLite's writer at 1,500 packages each. */
const BULK_BATCH_OWNERS = 200;

/** How owners are given pairs. */
export interface GiveOptions {
  /** The fewest owners without pairs given them without the version index (tests lower it). */
  bulkMinOwners?: number;
}

const KINDS = ['host', 'image'] as const;

/** An import's transactions that a report's lock order can deadlock (MySQL) run again. */
const RETRY = { attempts: 3, pauseMs: (n: number) => 200 * n };

/**
 * The fleet's distinct pairs of `releases` that import `feedId` has not matched, or, with `alsoId`,
 * that either import has not matched (`also` false: `alsoId` has not): one query per owner kind, the
 * distinct pairs first (on the pairs' version index), then each against the matched marks. Sorted by
 * release and source, so that a batch reads each source's feed rows once.
 */
async function unmatchedFleetPairs(
  runner: SqlRunner,
  database: Database,
  feedId: number,
  releases: readonly string[],
  alsoId?: number,
): Promise<{ release: string; pair: InstalledSource; matched: boolean; also: boolean }[]> {
  const m = sqlNames(database.tables.cveMatchedVersions);
  const missing = new Map<
    string,
    { release: string; pair: InstalledSource; matched: boolean; also: boolean }
  >();
  const mark = `EXISTS (SELECT 1 FROM ${m.$table} m WHERE m.${m.feedId} = ?
    AND m.${m.codename} = d.codename AND m.${m.source} = d.source AND m.${m.version} = d.version)`;
  for (const kind of KINDS) {
    const { pairs: p } = namesOf(database, kind);
    const flags =
      alsoId === undefined
        ? { text: `0 AS matched, 1 AS also FROM`, where: `NOT ${mark}`, params: [feedId] }
        : {
            text: `CASE WHEN ${mark} THEN 1 ELSE 0 END AS matched, CASE WHEN ${mark} THEN 1 ELSE 0 END AS also FROM`,
            where: `NOT ${mark} OR NOT ${mark}`,
            params: [feedId, alsoId, feedId, alsoId],
          };
    const rows = await runner.select<{
      codename: string;
      source: string;
      version: string;
      matched: number;
      also: number;
    }>(
      `SELECT d.codename AS codename, d.source AS source, d.version AS version, ${flags.text}
       (SELECT DISTINCT ${p.codename} AS codename, ${p.source} AS source, ${p.version} AS version FROM ${p.$table}) d
       WHERE ${flags.where}`,
      flags.params,
    );
    for (const row of rows) {
      if (!releases.includes(row.codename)) continue;
      const key = `${row.codename}\u0000${row.source}\u0000${row.version}`;
      const known = missing.get(key);
      missing.set(key, {
        release: row.codename,
        pair: { name: row.source, version: row.version },
        matched: Number(row.matched) === 1 && (known?.matched ?? true),
        also: Number(row.also) === 1 && (known?.also ?? true),
      });
    }
  }
  return [...missing.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** Matches a batch of pairs (none matched by `feedId` yet) and stores their findings. */
async function storeBatch(
  runner: SqlRunner,
  database: Database,
  feedId: number,
  batch: readonly { release: string; pair: InstalledSource }[],
): Promise<void> {
  const byRelease = new Map<string, InstalledSource[]>();
  for (const { release, pair } of batch) byRelease.set(release, [...(byRelease.get(release) ?? []), pair]);
  for (const [release, pairs] of byRelease) await storeMatches(database, runner, feedId, release, pairs);
}

/**
 * Matches the fleet's distinct pairs that import `feedId` (current or about to be) has not matched
 * (unmatchedFleetPairs), in batches: each one query for their sources' feed rows and two batched
 * inserts, in a transaction of its own.
 */
export async function matchFleetPairs(
  database: Database,
  feedId: number,
  releases: readonly string[],
): Promise<{ pairs: number; batches: number }> {
  const sorted = await unmatchedFleetPairs(database.sql, database, feedId, releases);
  let batches = 0;
  for (let start = 0; start < sorted.length; start += MATCH_BATCH_PAIRS) {
    const batch = sorted.slice(start, start + MATCH_BATCH_PAIRS);
    await database.transaction((tx) => storeBatch(tx.sql, database, feedId, batch));
    batches++;
    await yieldToEventLoop();
  }
  return { pairs: sorted.length, batches };
}

/**
 * After an import is made current: pairs for owners without any, the pairs still unmatched, then the
 * counters and per-CVE counts counted again (docs/cve.md, "What an import costs").
 */
export async function recomputeFindings(
  database: Database,
  options: GiveOptions = {},
): Promise<RecomputeOutcome> {
  const started = performance.now();
  const outcome: RecomputeOutcome = {
    owners: 0,
    pairs: 0,
    rows: 0,
    batches: 0,
    ms: 0,
    pairsMs: 0,
    countMs: 0,
    recount: 'full',
    changedCves: null,
  };
  const feed = await currentFindingFeed(database, database.sql, { lock: false });
  if (!feed) return outcome;
  for (const kind of KINDS) {
    const given = await giveOwnersPairs(database, kind, options);
    outcome.owners += given.owners;
    outcome.batches += given.batches;
  }
  outcome.pairsMs = performance.now() - started;
  const matched = await matchFleetPairs(database, feed.id, feed.releases);
  const counting = performance.now();
  outcome.pairs += matched.pairs;
  outcome.batches += matched.batches;
  // As in promoteIncrementally: a report holding its owner's row and waiting for the import's row
  // while this count waits for that owner's row is a deadlock InnoDB ends; the count runs again.
  outcome.rows = await withRetries(database, RETRY, () =>
    database.transaction(async (tx) => {
      // Reports share-lock the current import: holding it exclusively, the count sees every committed
      // report and no report moves a count it then overwrites (on MySQL; SQLite's writers never overlap).
      const f = sqlNames(database.tables.cveFeeds);
      await tx.sql.select(
        `SELECT ${f.id} FROM ${f.$table} WHERE ${f.id} = ?${database.spelling.forUpdateClause}`,
        [feed.id],
      );
      let rows = 0;
      for (const kind of KINDS) rows += await recountOwners(tx, database, kind, feed.id);
      return rows + (await recountFleet(tx, database, feed.id));
    }),
  );
  outcome.batches++;
  outcome.countMs = performance.now() - counting;
  outcome.ms = performance.now() - started;
  return outcome;
}

/**
 * Above this many CVEs whose findings changed, an import counts everything again rather than those
 * CVEs (docs/cve.md, "What an import costs").
 */
export const INCREMENTAL_MAX_CVES = 2000;

/** How an import counted: only what changed, or everything. */
export type RecountKind = 'incremental' | 'full';

/**
 * Makes import `feedId` current and counts again only what its findings changed from the current
 * import's, in one transaction that holds the current import's row exclusively (reports share-lock it:
 * none computes from one import while the counts are of the other). Returns null, having made nothing
 * current, when everything must be counted again (docs/cve.md, "What an import costs"): no current
 * import, other releases, owners without pairs that got some (their counts are not kept yet), a fleet
 * pair the current import never matched (the first import after the upgrade), or more than
 * INCREMENTAL_MAX_CVES changed CVEs.
 */
export async function promoteIncrementally(
  database: Database,
  feedId: number,
  releases: readonly string[],
  promote: (tx: Transaction) => Promise<void>,
  { maxCves = INCREMENTAL_MAX_CVES }: { maxCves?: number } = {},
): Promise<RecomputeOutcome | null> {
  const started = performance.now();
  const previous = await currentFindingFeed(database, database.sql, { lock: false });
  if (!previous) return null;
  if ([...releases].sort().join(',') !== [...previous.releases].sort().join(',')) return null;
  const f = sqlNames(database.tables.cveFeeds);
  let owners = 0;
  let batches = 0;
  for (const kind of KINDS) {
    const given = await giveOwnersPairs(database, kind);
    if (given.paired > 0) return null;
    owners += given.owners;
    batches += given.batches;
  }
  const pairsMs = performance.now() - started;
  // On MySQL a report may hold its owner's row and wait for the import's row while this transaction
  // waits for that owner's row: InnoDB ends one of the two, and this one runs again.
  return withRetries(database, RETRY, () =>
    database.transaction(async (tx) => {
      const [locked] = await tx.sql.select<{ state: string }>(
        `SELECT ${f.state} AS state FROM ${f.$table} WHERE ${f.id} = ?${database.spelling.forUpdateClause}`,
        [previous.id],
      );
      if (locked?.state !== 'current') return null;
      // Every pair an owner holds must be matched by both imports: those reports added since the new
      // import's fleet match are matched now; one the current import never matched means its counts
      // are not of its findings (the first import after the upgrade).
      const unmatched = await unmatchedFleetPairs(tx.sql, database, feedId, releases, previous.id);
      if (unmatched.some((row) => !row.also)) return null;
      const late = unmatched.filter((row) => !row.matched);
      for (let start = 0; start < late.length; start += MATCH_BATCH_PAIRS)
        await storeBatch(tx.sql, database, feedId, late.slice(start, start + MATCH_BATCH_PAIRS));
      const counting = performance.now();
      const cves = await changedCves(tx.sql, database, previous.id, feedId);
      if (cves.length > maxCves) return null;
      await promote(tx);
      let rows = 0;
      for (const kind of KINDS)
        rows += await moveOwnerCounters(tx, database, kind, previous.id, feedId, cves);
      rows += await recountFleet(tx, database, feedId, cves);
      const done = performance.now();
      return {
        owners,
        pairs: late.length,
        rows,
        batches: batches + 1,
        ms: done - started,
        pairsMs,
        countMs: done - counting,
        recount: 'incremental' as const,
        changedCves: cves.length,
      };
    }),
  );
}

/**
 * The CVEs whose findings differ between two imports, on the pairs both matched: a finding (CVE,
 * state, urgency) of one without its equal in the other (the version findings' unique index), both
 * ways.
 */
async function changedCves(
  runner: SqlRunner,
  database: Database,
  previousId: number,
  feedId: number,
): Promise<string[]> {
  const f = sqlNames(database.tables.cveVersionFindings);
  const m = sqlNames(database.tables.cveMatchedVersions);
  const oneWay = `SELECT DISTINCT a.${f.cve} AS cve FROM ${f.$table} a
    WHERE a.${f.feedId} = ?
      AND EXISTS (SELECT 1 FROM ${m.$table} m WHERE m.${m.feedId} = ? AND m.${m.codename} = a.${f.codename}
        AND m.${m.source} = a.${f.source} AND m.${m.version} = a.${f.version})
      AND NOT EXISTS (SELECT 1 FROM ${f.$table} b WHERE b.${f.feedId} = ? AND b.${f.codename} = a.${f.codename}
        AND b.${f.source} = a.${f.source} AND b.${f.version} = a.${f.version} AND b.${f.cve} = a.${f.cve}
        AND b.${f.state} = a.${f.state} AND b.${f.urgency} = a.${f.urgency})`;
  const rows = await runner.select<{ cve: string }>(`${oneWay} UNION ${oneWay}`, [
    feedId,
    previousId,
    previousId,
    previousId,
    feedId,
    feedId,
  ]);
  return rows.map((row) => row.cve).sort();
}

/**
 * Gives pairs to the owners that have none: every owner on the first import, afterwards only new
 * owners whose reports changed no installed version since, and owners of an unknown release or without
 * packages (which get none again: cheap). Their rows are locked, then checked again. When most owners
 * have none (the first import), the pairs' version index is dropped for the inserts and built whole
 * after (docs/cve.md, "What an import costs", step 4); otherwise it is built first if a crash left it
 * missing.
 */
async function giveOwnersPairs(
  database: Database,
  kind: FindingOwnerKind,
  { bulkMinOwners = BULK_MIN_OWNERS }: GiveOptions = {},
): Promise<{ owners: number; paired: number; batches: number }> {
  const { owners: o, pairs: p, ownerColumn } = namesOf(database, kind);
  const without = `NOT EXISTS (SELECT 1 FROM ${p.$table} p WHERE p.${ownerColumn} = o.${o.id})`;
  const [counted] = await database.sql.select<{ missing: number; total: number }>(
    `SELECT COUNT(*) AS missing, (SELECT COUNT(*) FROM ${o.$table}) AS total FROM ${o.$table} o WHERE ${without}`,
  );
  const missing = Number(counted?.missing ?? 0);
  const bulk = missing >= bulkMinOwners && missing * 2 >= Number(counted?.total ?? 0);
  if (bulk) await dropVersionIndex(database, kind);
  else await ensureVersionIndex(database, kind);
  const batchOwners = bulk ? BULK_BATCH_OWNERS : PAIR_BATCH_OWNERS;
  let lastId = 0;
  let owners = 0;
  let paired = 0;
  let batches = 0;
  try {
    for (;;) {
      const ids = (
        await database.sql.select<{ id: number }>(
          `SELECT o.${o.id} AS id FROM ${o.$table} o WHERE o.${o.id} > ? AND ${without} ORDER BY o.${o.id} LIMIT ${batchOwners}`,
          [lastId],
        )
      ).map((row) => Number(row.id));
      if (ids.length === 0) break;
      lastId = ids[ids.length - 1] as number;
      // Read committed: the owners' rows are locked, so their packages cannot change under the read,
      // and MariaDB takes no shared locks on the 300,000 rows an INSERT … SELECT reads.
      const done = await withRetries(database, RETRY, () =>
        database.transaction(
          async (tx) => {
            const targets = await lockOwners(tx, database, kind, ids, without);
            const known = targets.flatMap((target) => {
              const release = codenameOfOs(target.os);
              return release === null ? [] : [{ ...target, release }];
            });
            if (known.length === 0) return { owners: targets.length, pairs: 0 };
            let pairs = await insertSourcePairs(tx, database, kind, known);
            if (kind === 'host') pairs += await insertKernelPairs(tx, database, known);
            return { owners: targets.length, pairs };
          },
          { isolation: 'read committed' },
        ),
      );
      owners += done.owners;
      paired += done.pairs;
      batches++;
      await yieldToEventLoop();
    }
  } finally {
    // Also after a failure: the pages and the counts need the index (a crash: migrate() builds it).
    if (bulk) await ensureVersionIndex(database, kind);
  }
  return { owners, paired, batches };
}

/**
 * Inserts the owners' distinct installed (source, version) pairs but the kernel's, under each owner's
 * release, in one INSERT … SELECT (docs/cve.md, "Which sources count").
 */
async function insertSourcePairs(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  owners: readonly { id: number; release: string }[],
): Promise<number> {
  const { pairs: p, ownerColumn, packages: r, packageOwner } = namesOf(database, kind);
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  const ids = inList(
    database.capabilities,
    owners.map((owner) => owner.id),
  );
  const release = `CASE d.${packageOwner} ${owners.map(() => 'WHEN ? THEN ?').join(' ')} END`;
  // An owner's binaries of one source version are one pair. SQLite: the unique index drops the
  // repeats, cheaper than a DISTINCT's temporary B-tree of strings (the owners hold no pairs yet, so
  // nothing else conflicts). MariaDB: DISTINCT on the source versions' ids, a temporary table of
  // integers, about three times cheaper than on the strings; the no-op update takes the rare source version
  // of two OS labels (one host half-way through an OS change).
  const installed =
    database.kind === 'sqlite'
      ? {
          from: `${r.$table} d JOIN ${v.$table} v ON v.${v.id} = d.${r.packageVersionId}`,
          sv: `v.${v.srcPackageVersionId}`,
        }
      : {
          from: `(SELECT DISTINCT r.${packageOwner} AS ${packageOwner}, v.${v.srcPackageVersionId} AS sv
                 FROM ${r.$table} r JOIN ${v.$table} v ON v.${v.id} = r.${r.packageVersionId}
                 WHERE r.${packageOwner} IN (${ids.text})) d`,
          sv: 'd.sv',
        };
  const conflict =
    database.kind === 'sqlite'
      ? database.spelling.ignoreClause
      : ` ON DUPLICATE KEY UPDATE ${p.$table}.${p.id} = ${p.$table}.${p.id}`;
  return tx.sql.run(
    `INSERT INTO ${p.$table} (${ownerColumn}, ${p.codename}, ${p.source}, ${p.version})
     SELECT d.${packageOwner}, ${release}, s.${s.name}, sv.${sv.version}
     FROM ${installed.from}
     JOIN ${sv.$table} sv ON sv.${sv.id} = ${installed.sv}
     JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
     WHERE d.${packageOwner} IN (${ids.text}) AND s.${s.name} <> 'linux' AND s.${s.name} NOT LIKE 'linux-signed-%'${conflict}`,
    [
      ...owners.flatMap((owner) => [owner.id, owner.release]),
      ...(database.kind === 'sqlite' ? [] : ids.params),
      ...ids.params,
    ],
  );
}

/**
 * The kernel's pairs of a batch of hosts: `linux` at the running version, else the installed kernels
 * (docs/cve.md, "Which sources count"); one read for the hosts without a running version, one insert.
 */
async function insertKernelPairs(
  tx: Transaction,
  database: Database,
  hosts: readonly { id: number; release: string; kernelBanner: string | null }[],
): Promise<number> {
  const { pairs: p, ownerColumn } = namesOf(database, 'host');
  const running = new Map(
    hosts.map((host) => [host.id, host.kernelBanner ? runningKernelVersion(host.kernelBanner) : null]),
  );
  const unknown = hosts.filter((host) => running.get(host.id) === null).map((host) => host.id);
  const installed =
    unknown.length === 0
      ? new Map<number, InstalledSource[]>()
      : await readOwnerPairs(database, tx.sql, 'host', unknown, { names: ['linux'], kernel: true });
  const rows = hosts.flatMap((host) =>
    sourcesToMatch({
      sources: installed.get(host.id) ?? [],
      kind: 'host',
      runningKernel: running.get(host.id) ?? null,
    }).map((pair) => [host.id, host.release, pair.name, pair.version]),
  );
  if (rows.length > 0)
    await insertRows(
      tx.sql,
      database.capabilities,
      p.$table,
      [ownerColumn, p.codename, p.source, p.version],
      rows,
    );
  return rows.length;
}

/** Locks the batch's owner rows still without pairs, and reads their OS and running kernel. */
async function lockOwners(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ids: readonly number[],
  without: string,
): Promise<{ id: number; os: string; kernelBanner: string | null }[]> {
  const { owners: o } = namesOf(database, kind);
  const list = inList(database.capabilities, ids);
  await tx.sql.select(
    `SELECT ${o.id} FROM ${o.$table} WHERE ${o.id} IN (${list.text}) ORDER BY ${o.id}${database.spelling.forUpdateClause}`,
    list.params,
  );
  const os = sqlNames(database.tables.operatingSystems);
  const k = sqlNames(database.tables.kernels);
  const h = sqlNames(database.tables.hosts);
  const kernel = kind === 'host' ? `k.${k.name}` : 'NULL';
  const join = kind === 'host' ? `JOIN ${k.$table} k ON k.${k.id} = o.${h.kernelId}` : '';
  const rows = await tx.sql.select<{ id: number; os: string; kernel: string | null }>(
    `SELECT o.${o.id} AS id, os.${os.name} AS os, ${kernel} AS kernel
     FROM ${o.$table} o JOIN ${os.$table} os ON os.${os.id} = o.${o.osId} ${join}
     WHERE o.${o.id} IN (${list.text}) AND ${without}`,
    list.params,
  );
  return rows.map((row) => ({ id: Number(row.id), os: row.os, kernelBanner: row.kernel }));
}

/**
 * The import's findings first, then the pairs of an owner kind that hold them (the pairs' version
 * index): `STRAIGHT_JOIN` / `CROSS JOIN` keep that order, so that a count restricted to some findings
 * (fixable ones, some CVEs) reads only the owners of those, not every owner's pairs.
 */
function findingsThenPairs(database: Database, kind: FindingOwnerKind): string {
  const { pairs: p } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const join = database.spelling.joinInOrderText;
  return `${f.$table} f ${join} ${p.$table} p ON p.${p.codename} = f.${f.codename}
    AND p.${p.source} = f.${f.source} AND p.${p.version} = f.${f.version}`;
}

/** A finding's state as a rank, worst first: fixable 0, unfixed 1, uncertain or undetermined 2. */
const stateRank = (alias: string, state: string) =>
  `CASE ${alias}.${state} WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 ELSE 2 END`;

/** Writes owners' counters (absolute, or added with `add`) in batched `CASE` updates. */
async function writeOwnerCounters(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  rows: readonly { id: number; fixable: number; urgent: number }[],
  { add }: { add: boolean },
): Promise<void> {
  const { owners: o } = namesOf(database, kind);
  for (const batch of batchRows(database.capabilities, rows, 5)) {
    const ids = inList(
      database.capabilities,
      batch.map((row) => row.id),
    );
    const cases = (column: string) =>
      `CASE ${o.id} ${batch.map(() => `WHEN ? THEN ${add ? `${column} + ` : ''}?`).join(' ')} ELSE ${column} END`;
    const params = (key: 'fixable' | 'urgent') => batch.flatMap((row) => [row.id, row[key]]);
    await tx.sql.run(
      `UPDATE ${o.$table} SET ${o.cveFixable} = ${cases(o.cveFixable)}, ${o.cveUrgent} = ${cases(o.cveUrgent)} WHERE ${o.id} IN (${ids.text})`,
      [...params('fixable'), ...params('urgent'), ...ids.params],
    );
  }
}

/**
 * Counts every owner's `cve_fixable` and `cve_urgent` again in one grouped query (the import's
 * fixable findings, then the owners holding them) and updates those that differ, in batches. Returns
 * how many owners changed.
 */
async function recountOwners(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  feedId: number,
): Promise<number> {
  const { owners: o, ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const rows = await tx.sql.select<{ id: number; fixable: number; urgent: number }>(
    `SELECT o.${o.id} AS id, COALESCE(x.fixable, 0) AS fixable, COALESCE(x.urgent, 0) AS urgent
     FROM ${o.$table} o LEFT JOIN (
       SELECT p.${ownerColumn} AS owner, COUNT(DISTINCT f.${f.cve}) AS fixable,
         COUNT(DISTINCT CASE WHEN f.${f.urgencyRank} <= ${URGENT_RANK_MAX} THEN f.${f.cve} END) AS urgent
       FROM ${findingsThenPairs(database, kind)} WHERE f.${f.feedId} = ? AND f.${f.state} = 'fixable'
       GROUP BY p.${ownerColumn}
     ) x ON x.owner = o.${o.id}
     WHERE o.${o.cveFixable} <> COALESCE(x.fixable, 0) OR o.${o.cveUrgent} <> COALESCE(x.urgent, 0)`,
    [feedId],
  );
  await writeOwnerCounters(
    tx,
    database,
    kind,
    rows.map((row) => ({ id: Number(row.id), fixable: Number(row.fixable), urgent: Number(row.urgent) })),
    { add: false },
  );
  return rows.length;
}

/**
 * Moves the counters of the owners that hold findings of `cves` (the CVEs whose findings an import
 * changed) by the difference: their fixable and urgent CVEs among `cves` under the new import less
 * those under the previous one. Their other CVEs' findings are the same under both imports. Returns
 * how many owners changed.
 */
async function moveOwnerCounters(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  previousId: number,
  feedId: number,
  cves: readonly string[],
): Promise<number> {
  const { ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const moved = new Map<number, { id: number; fixable: number; urgent: number }>();
  for (const batch of batchRows(database.capabilities, cves, 1)) {
    const list = inList(database.capabilities, batch);
    const rows = await tx.sql.select<{ owner: number; feed: number; fixable: number; urgent: number }>(
      `SELECT p.${ownerColumn} AS owner, f.${f.feedId} AS feed, COUNT(DISTINCT f.${f.cve}) AS fixable,
         COUNT(DISTINCT CASE WHEN f.${f.urgencyRank} <= ${URGENT_RANK_MAX} THEN f.${f.cve} END) AS urgent
       FROM ${findingsThenPairs(database, kind)}
       WHERE f.${f.feedId} IN (?, ?) AND f.${f.cve} IN (${list.text}) AND f.${f.state} = 'fixable'
       GROUP BY p.${ownerColumn}, f.${f.feedId}`,
      [previousId, feedId, ...list.params],
    );
    for (const row of rows) {
      const id = Number(row.owner);
      const sign = Number(row.feed) === feedId ? 1 : -1;
      const known = moved.get(id) ?? { id, fixable: 0, urgent: 0 };
      known.fixable += sign * Number(row.fixable);
      known.urgent += sign * Number(row.urgent);
      moved.set(id, known);
    }
  }
  const rows = [...moved.values()]
    .filter((row) => row.fixable !== 0 || row.urgent !== 0)
    .sort((a, b) => a.id - b.id);
  await writeOwnerCounters(tx, database, kind, rows, { add: true });
  return rows.length;
}

/** Per CVE and owner kind: owners by their worst state. */
type KindCounts = Map<string, [fixable: number, unfixed: number, other: number]>;

function addCounts(
  counts: KindCounts,
  rows: { cve: string; fixable: number; unfixed: number; other: number }[],
) {
  for (const row of rows) {
    const known = counts.get(row.cve) ?? [0, 0, 0];
    counts.set(row.cve, [
      known[0] + Number(row.fixable),
      known[1] + Number(row.unfixed),
      known[2] + Number(row.other),
    ]);
  }
}

/**
 * Owners per CVE by their worst state, over every finding of the import, without grouping every
 * (owner pair × finding): the owners of each distinct pair are counted on the pairs' version index and
 * summed per CVE and state by the pair's findings; that counts an owner once per pair, so the owners
 * holding two or more pairs with findings of one CVE (two versions of a source half-way through an
 * upgrade, a CVE of two sources) are then corrected to once, by their worst state. Those are found
 * from the pairs of pairs that share a CVE (few: versions of one source, sources sharing a CVE) and
 * the owners holding both (the owner's unique index).
 */
async function countKind(
  runner: SqlRunner,
  database: Database,
  kind: FindingOwnerKind,
  feedId: number,
): Promise<KindCounts> {
  const { pairs: p, ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const sqlite = database.spelling.name === 'sqlite';
  // Each finding with the number of owners holding its pair. SQLite counts the distinct pairs'
  // owners once (grouped on the version index) and joins the findings to that (an automatic index);
  // MariaDB would join that unindexed derived table by a scan per finding (8.6 s at 1,000 hosts),
  // so it counts per finding on the version index, which its subquery cache answers once per pair.
  const perFinding = sqlite
    ? `SELECT f.${f.cve} AS cve, f.${f.state} AS state, c.n AS n
       FROM (SELECT ${p.codename} AS codename, ${p.source} AS source, ${p.version} AS version, COUNT(*) AS n
             FROM ${p.$table} GROUP BY ${p.codename}, ${p.source}, ${p.version}) c
       JOIN ${f.$table} f ON f.${f.feedId} = ? AND f.${f.codename} = c.codename AND f.${f.source} = c.source
         AND f.${f.version} = c.version`
    : `SELECT f.${f.cve} AS cve, f.${f.state} AS state,
         (SELECT COUNT(*) FROM ${p.$table} p WHERE p.${p.codename} = f.${f.codename} AND p.${p.source} = f.${f.source}
           AND p.${p.version} = f.${f.version}) AS n
       FROM ${f.$table} f WHERE f.${f.feedId} = ?`;
  const counts: KindCounts = new Map();
  addCounts(
    counts,
    await runner.select<{ cve: string; fixable: number; unfixed: number; other: number }>(
      `SELECT cve, SUM(CASE WHEN state = 'fixable' THEN n ELSE 0 END) AS fixable,
         SUM(CASE WHEN state = 'unfixed' THEN n ELSE 0 END) AS unfixed,
         SUM(CASE WHEN state NOT IN ('fixable', 'unfixed') THEN n ELSE 0 END) AS other
       FROM (${perFinding}) x WHERE n > 0 GROUP BY cve`,
      [feedId],
    ),
  );
  // Few rows at each step, in this order; SQLite (without statistics) would otherwise read a
  // release's every finding per finding, or join the findings before the few owners.
  const join = database.spelling.joinInOrderText;
  const byCve = database.spelling.forceIndexText('cve_version_findings_cve_idx');
  const byOwner = database.spelling.forceIndexText(`${kind}_cve_pairs_unique`);
  // The correction: per (owner, CVE) held through several pairs, once by the worst state instead of
  // once per pair.
  addCounts(
    counts,
    await runner.select<{ cve: string; fixable: number; unfixed: number; other: number }>(
      `WITH shared AS (
         SELECT DISTINCT f1.${f.codename} AS c, f1.${f.source} AS s1, f1.${f.version} AS v1,
           f2.${f.source} AS s2, f2.${f.version} AS v2
         FROM ${f.$table} f1 JOIN ${f.$table} f2 ${byCve} ON f2.${f.feedId} = f1.${f.feedId} AND f2.${f.cve} = f1.${f.cve}
           AND f2.${f.codename} = f1.${f.codename}
           AND (f2.${f.source} > f1.${f.source} OR (f2.${f.source} = f1.${f.source} AND f2.${f.version} > f1.${f.version}))
         WHERE f1.${f.feedId} = ?),
       held AS (
         SELECT DISTINCT p1.${ownerColumn} AS owner, s.c, s.s1, s.v1, s.s2, s.v2 FROM shared s
         JOIN ${p.$table} p1 ON p1.${p.codename} = s.c AND p1.${p.source} = s.s1 AND p1.${p.version} = s.v1
         JOIN ${p.$table} p2 ON p2.${ownerColumn} = p1.${ownerColumn} AND p2.${p.source} = s.s2
           AND p2.${p.version} = s.v2 AND p2.${p.codename} = s.c),
       multi AS (
         SELECT DISTINCT h.owner AS owner, f1.${f.cve} AS cve FROM held h
         ${join} ${f.$table} f1 ON f1.${f.feedId} = ? AND f1.${f.codename} = h.c AND f1.${f.source} = h.s1
           AND f1.${f.version} = h.v1
         ${join} ${f.$table} f2 ON f2.${f.feedId} = ? AND f2.${f.codename} = h.c AND f2.${f.source} = h.s2
           AND f2.${f.version} = h.v2 AND f2.${f.cve} = f1.${f.cve}),
       each_owner AS (
         SELECT m.cve AS cve, MIN(${stateRank('f', f.state)}) AS r,
           SUM(CASE WHEN f.${f.state} = 'fixable' THEN 1 ELSE 0 END) AS n0,
           SUM(CASE WHEN f.${f.state} = 'unfixed' THEN 1 ELSE 0 END) AS n1,
           SUM(CASE WHEN f.${f.state} NOT IN ('fixable', 'unfixed') THEN 1 ELSE 0 END) AS n2
         FROM multi m ${join} ${f.$table} f ${byCve} ON f.${f.feedId} = ? AND f.${f.cve} = m.cve
         ${join} ${p.$table} p ${byOwner} ON p.${ownerColumn} = m.owner AND p.${p.source} = f.${f.source}
           AND p.${p.version} = f.${f.version} AND p.${p.codename} = f.${f.codename}
         GROUP BY m.owner, m.cve)
       SELECT cve, SUM(CASE WHEN r = 0 THEN 1 ELSE 0 END - n0) AS fixable,
         SUM(CASE WHEN r = 1 THEN 1 ELSE 0 END - n1) AS unfixed, SUM(CASE WHEN r = 2 THEN 1 ELSE 0 END - n2) AS other
       FROM each_owner GROUP BY cve`,
      [feedId, feedId, feedId, feedId],
    ),
  );
  return counts;
}

/**
 * Owners per CVE by their worst state, for some CVEs only (an import's changed ones): their findings
 * (the CVE index), then the owners holding them, grouped by (owner, CVE).
 */
async function countKindOfCves(
  runner: SqlRunner,
  database: Database,
  kind: FindingOwnerKind,
  feedId: number,
  cves: readonly string[],
): Promise<KindCounts> {
  const { ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const counts: KindCounts = new Map();
  for (const batch of batchRows(database.capabilities, cves, 1)) {
    const list = inList(database.capabilities, batch);
    addCounts(
      counts,
      await runner.select<{ cve: string; fixable: number; unfixed: number; other: number }>(
        `SELECT cve, SUM(CASE WHEN r = 0 THEN 1 ELSE 0 END) AS fixable, SUM(CASE WHEN r = 1 THEN 1 ELSE 0 END) AS unfixed,
           SUM(CASE WHEN r > 1 THEN 1 ELSE 0 END) AS other
         FROM (SELECT p.${ownerColumn} AS owner, f.${f.cve} AS cve, MIN(${stateRank('f', f.state)}) AS r
               FROM ${findingsThenPairs(database, kind)}
               WHERE f.${f.feedId} = ? AND f.${f.cve} IN (${list.text})
               GROUP BY p.${ownerColumn}, f.${f.cve}) s
         GROUP BY cve`,
        [feedId, ...list.params],
      ),
    );
  }
  return counts;
}

/**
 * Counts `cve_fleet` again: per CVE, hosts and images by their worst state (grouped in SQL), with the
 * CVE's most urgent urgency among the import's findings; writes only the rows that differ. With
 * `cves`, only those rows.
 */
async function recountFleet(
  tx: Transaction,
  database: Database,
  feedId: number,
  cves?: readonly string[],
): Promise<number> {
  const count = (kind: FindingOwnerKind) =>
    cves ? countKindOfCves(tx.sql, database, kind, feedId, cves) : countKind(tx.sql, database, kind, feedId);
  const hosts = await count('host');
  const images = await count('image');
  const f = sqlNames(database.tables.cveVersionFindings);
  const c = sqlNames(database.tables.cveFleet);
  const urgencies = new Map<string, { urgency: string; rank: number }>();
  type Existing = {
    cve: string;
    hf: number;
    hu: number;
    ho: number;
    imf: number;
    iu: number;
    io: number;
    urgency: string;
  };
  const existing: Existing[] = [];
  const readExisting = `SELECT ${c.cve} AS cve, ${c.hostsFixable} AS hf, ${c.hostsUnfixed} AS hu, ${c.hostsOther} AS ho,
       ${c.imagesFixable} AS imf, ${c.imagesUnfixed} AS iu, ${c.imagesOther} AS io, ${c.urgency} AS urgency
     FROM ${c.$table}`;
  const readUrgencies = `SELECT ${f.cve} AS cve, ${f.urgencyRank} AS urank, MIN(${f.urgency}) AS urgency FROM ${f.$table}
     WHERE ${f.feedId} = ?`;
  const urgencyRows: { cve: string; urank: number; urgency: string }[] = [];
  if (!cves) {
    urgencyRows.push(
      ...(await tx.sql.select<{ cve: string; urank: number; urgency: string }>(
        `${readUrgencies} GROUP BY ${f.cve}, ${f.urgencyRank}`,
        [feedId],
      )),
    );
    existing.push(...(await tx.sql.select<Existing>(readExisting)));
  } else
    for (const batch of batchRows(database.capabilities, cves, 1)) {
      const list = inList(database.capabilities, batch);
      urgencyRows.push(
        ...(await tx.sql.select<{ cve: string; urank: number; urgency: string }>(
          `${readUrgencies} AND ${f.cve} IN (${list.text}) GROUP BY ${f.cve}, ${f.urgencyRank}`,
          [feedId, ...list.params],
        )),
      );
      existing.push(
        ...(await tx.sql.select<Existing>(`${readExisting} WHERE ${c.cve} IN (${list.text})`, list.params)),
      );
    }
  for (const row of urgencyRows) {
    const known = urgencies.get(row.cve);
    if (!known || Number(row.urank) < known.rank)
      urgencies.set(row.cve, { urgency: row.urgency, rank: Number(row.urank) });
  }
  const before = new Map(existing.map((row) => [row.cve, row]));
  const all = cves ? new Set(cves) : new Set([...hosts.keys(), ...images.keys(), ...before.keys()]);
  const writes: unknown[][] = [];
  for (const cve of [...all].sort()) {
    const [hf, hu, ho] = hosts.get(cve) ?? [0, 0, 0];
    const [imf, imu, imo] = images.get(cve) ?? [0, 0, 0];
    const was = before.get(cve);
    const total = hf + hu + ho + imf + imu + imo;
    if (!was && total === 0) continue;
    const urgency = urgencies.get(cve) ?? { urgency: was?.urgency ?? 'not yet assigned', rank: 6 };
    const same =
      was &&
      [was.hf, was.hu, was.ho, was.imf, was.iu, was.io].map(Number).join() ===
        [hf, hu, ho, imf, imu, imo].join() &&
      (total === 0 || was.urgency === urgency.urgency);
    if (same) continue;
    writes.push([cve, hf, hu, ho, imf, imu, imo, hf + imf, total, urgency.urgency, urgency.rank]);
  }
  const columns = [
    c.hostsFixable,
    c.hostsUnfixed,
    c.hostsOther,
    c.imagesFixable,
    c.imagesUnfixed,
    c.imagesOther,
    c.fixable,
    c.affected,
    c.urgency,
    c.urgencyRank,
  ];
  await insertRows(
    tx.sql,
    database.capabilities,
    c.$table,
    [c.cve, ...columns],
    writes,
    database.spelling.upsertClause([c.cve], columns),
  );
  return writes.length;
}
