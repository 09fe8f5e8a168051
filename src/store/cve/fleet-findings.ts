/**
 * What a feed import does to the fleet's findings (docs/cve.md, "Stored findings", "What an import
 * costs"): match every distinct (release, source, version) the fleet has once, before the import is
 * made current; then give pairs to owners that have none, match what reports added meanwhile, and
 * count the owners' counters and `cve_fleet` again in SQL.
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows, type SqlRunner } from '../../db/sql-runner.ts';
import { URGENT_RANK_MAX } from '../../domain/cve-findings.ts';
import { type InstalledSource, runningKernelVersion, sourcesToMatch } from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { yieldToEventLoop } from '../../lib/yield.ts';
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
}

/** Pairs matched per transaction. */
const MATCH_BATCH_PAIRS = 2000;
/** Owners given pairs per transaction. */
const PAIR_BATCH_OWNERS = 50;

const KINDS = ['host', 'image'] as const;

/**
 * Matches the fleet's distinct pairs that import `feedId` (current or about to be) has not matched:
 * one query for them per owner kind (on the pairs' version index, against the matched marks), then
 * batches of pairs, each one query for their sources' feed rows and two batched inserts.
 */
export async function matchFleetPairs(
  database: Database,
  feedId: number,
  releases: readonly string[],
): Promise<{ pairs: number; batches: number }> {
  const m = sqlNames(database.tables.cveMatchedVersions);
  const missing = new Map<string, { release: string; pair: InstalledSource }>();
  for (const kind of KINDS) {
    const { pairs: p } = namesOf(database, kind);
    const rows = await database.sql.select<{ codename: string; source: string; version: string }>(
      `SELECT DISTINCT p.${p.codename} AS codename, p.${p.source} AS source, p.${p.version} AS version
       FROM ${p.$table} p WHERE NOT EXISTS (SELECT 1 FROM ${m.$table} m WHERE m.${m.feedId} = ?
         AND m.${m.codename} = p.${p.codename} AND m.${m.source} = p.${p.source} AND m.${m.version} = p.${p.version})`,
      [feedId],
    );
    for (const row of rows)
      if (releases.includes(row.codename))
        missing.set(`${row.codename}\u0000${row.source}\u0000${row.version}`, {
          release: row.codename,
          pair: { name: row.source, version: row.version },
        });
  }
  // By release and source, so that a batch reads each source's feed rows once.
  const sorted = [...missing.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  let batches = 0;
  for (let start = 0; start < sorted.length; start += MATCH_BATCH_PAIRS) {
    const batch = sorted.slice(start, start + MATCH_BATCH_PAIRS);
    const byRelease = new Map<string, InstalledSource[]>();
    for (const { release, pair } of batch) byRelease.set(release, [...(byRelease.get(release) ?? []), pair]);
    await database.transaction(async (tx) => {
      for (const [release, pairs] of byRelease) await storeMatches(database, tx.sql, feedId, release, pairs);
    });
    batches++;
    await yieldToEventLoop();
  }
  return { pairs: sorted.length, batches };
}

/**
 * After an import is made current: pairs for owners without any, the pairs still unmatched, then the
 * counters and per-CVE counts counted again (docs/cve.md, "What an import costs").
 */
export async function recomputeFindings(database: Database): Promise<RecomputeOutcome> {
  const started = performance.now();
  const outcome: RecomputeOutcome = {
    owners: 0,
    pairs: 0,
    rows: 0,
    batches: 0,
    ms: 0,
    pairsMs: 0,
    countMs: 0,
  };
  const feed = await currentFindingFeed(database, database.sql, { lock: false });
  if (!feed) return outcome;
  for (const kind of KINDS) {
    const given = await giveOwnersPairs(database, kind);
    outcome.owners += given.owners;
    outcome.batches += given.batches;
  }
  outcome.pairsMs = performance.now() - started;
  const matched = await matchFleetPairs(database, feed.id, feed.releases);
  const counting = performance.now();
  outcome.pairs += matched.pairs;
  outcome.batches += matched.batches;
  outcome.rows = await database.transaction(async (tx) => {
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
  });
  outcome.batches++;
  outcome.countMs = performance.now() - counting;
  outcome.ms = performance.now() - started;
  return outcome;
}

/**
 * Gives pairs to the owners that have none: every owner on the first import, afterwards only new
 * owners whose reports changed no installed version since, and owners of an unknown release or without
 * packages (which get none again: cheap). Their rows are locked, then checked again.
 */
async function giveOwnersPairs(
  database: Database,
  kind: FindingOwnerKind,
): Promise<{ owners: number; batches: number }> {
  const { owners: o, pairs: p, ownerColumn } = namesOf(database, kind);
  const without = `NOT EXISTS (SELECT 1 FROM ${p.$table} p WHERE p.${ownerColumn} = o.${o.id})`;
  let lastId = 0;
  let owners = 0;
  let batches = 0;
  for (;;) {
    const ids = (
      await database.sql.select<{ id: number }>(
        `SELECT o.${o.id} AS id FROM ${o.$table} o WHERE o.${o.id} > ? AND ${without} ORDER BY o.${o.id} LIMIT ${PAIR_BATCH_OWNERS}`,
        [lastId],
      )
    ).map((row) => Number(row.id));
    if (ids.length === 0) break;
    lastId = ids[ids.length - 1] as number;
    owners += await database.transaction(async (tx) => {
      const targets = await lockOwners(tx, database, kind, ids, without);
      if (targets.length === 0) return 0;
      const known = targets.flatMap((target) => {
        const release = codenameOfOs(target.os);
        return release === null ? [] : [{ ...target, release }];
      });
      if (known.length === 0) return targets.length;
      await insertSourcePairs(tx, database, kind, known);
      if (kind === 'host') await insertKernelPairs(tx, database, known);
      return targets.length;
    });
    batches++;
    await yieldToEventLoop();
  }
  return { owners, batches };
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
): Promise<void> {
  const { pairs: p, ownerColumn, packages: r, packageOwner } = namesOf(database, kind);
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  const ids = inList(
    database.capabilities,
    owners.map((owner) => owner.id),
  );
  const release = `CASE r.${packageOwner} ${owners.map(() => 'WHEN ? THEN ?').join(' ')} END`;
  await tx.sql.run(
    `INSERT INTO ${p.$table} (${ownerColumn}, ${p.codename}, ${p.source}, ${p.version})
     SELECT DISTINCT r.${packageOwner}, ${release}, s.${s.name}, sv.${sv.version}
     FROM ${r.$table} r
     JOIN ${v.$table} v ON v.${v.id} = r.${r.packageVersionId}
     JOIN ${sv.$table} sv ON sv.${sv.id} = v.${v.srcPackageVersionId}
     JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
     WHERE r.${packageOwner} IN (${ids.text}) AND s.${s.name} <> 'linux' AND s.${s.name} NOT LIKE 'linux-signed-%'`,
    [...owners.flatMap((owner) => [owner.id, owner.release]), ...ids.params],
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
): Promise<void> {
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

/** The join of an owner kind's pairs with the import's version findings. */
function pairsJoin(database: Database, kind: FindingOwnerKind): string {
  const { pairs: p } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  return `${p.$table} p JOIN ${f.$table} f ON f.${f.feedId} = ? AND f.${f.codename} = p.${p.codename}
    AND f.${f.source} = p.${p.source} AND f.${f.version} = p.${p.version}`;
}

/**
 * Counts every owner's `cve_fixable` and `cve_urgent` again in one grouped query and updates those
 * that differ, in batches. Returns how many owners changed.
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
       FROM ${pairsJoin(database, kind)} WHERE f.${f.state} = 'fixable' GROUP BY p.${ownerColumn}
     ) x ON x.owner = o.${o.id}
     WHERE o.${o.cveFixable} <> COALESCE(x.fixable, 0) OR o.${o.cveUrgent} <> COALESCE(x.urgent, 0)`,
    [feedId],
  );
  for (const batch of batchRows(database.capabilities, rows, 5)) {
    const ids = inList(
      database.capabilities,
      batch.map((row) => Number(row.id)),
    );
    const cases = (column: 'fixable' | 'urgent') =>
      `CASE ${o.id} ${batch.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${column === 'fixable' ? o.cveFixable : o.cveUrgent} END`;
    const params = (column: 'fixable' | 'urgent') =>
      batch.flatMap((row) => [Number(row.id), Number(row[column])]);
    await tx.sql.run(
      `UPDATE ${o.$table} SET ${o.cveFixable} = ${cases('fixable')}, ${o.cveUrgent} = ${cases('urgent')} WHERE ${o.id} IN (${ids.text})`,
      [...params('fixable'), ...params('urgent'), ...ids.params],
    );
  }
  return rows.length;
}

/** Per CVE and owner kind: owners by their worst state. */
type KindCounts = Map<string, [fixable: number, unfixed: number, other: number]>;

async function countKind(
  runner: SqlRunner,
  database: Database,
  kind: FindingOwnerKind,
  feedId: number,
): Promise<KindCounts> {
  const { ownerColumn } = namesOf(database, kind);
  const f = sqlNames(database.tables.cveVersionFindings);
  const rows = await runner.select<{ cve: string; fixable: number; unfixed: number; other: number }>(
    `SELECT cve, SUM(CASE WHEN r = 0 THEN 1 ELSE 0 END) AS fixable, SUM(CASE WHEN r = 1 THEN 1 ELSE 0 END) AS unfixed,
       SUM(CASE WHEN r > 1 THEN 1 ELSE 0 END) AS other
     FROM (SELECT p.${ownerColumn} AS owner, f.${f.cve} AS cve,
             MIN(CASE f.${f.state} WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 ELSE 2 END) AS r
           FROM ${pairsJoin(database, kind)} GROUP BY p.${ownerColumn}, f.${f.cve}) s
     GROUP BY cve`,
    [feedId],
  );
  const counts: KindCounts = new Map();
  for (const row of rows) counts.set(row.cve, [Number(row.fixable), Number(row.unfixed), Number(row.other)]);
  return counts;
}

/**
 * Counts `cve_fleet` again: per CVE, hosts and images by their worst state (grouped in SQL), with the
 * CVE's most urgent urgency among the import's findings; writes only the rows that differ.
 */
async function recountFleet(tx: Transaction, database: Database, feedId: number): Promise<number> {
  const hosts = await countKind(tx.sql, database, 'host', feedId);
  const images = await countKind(tx.sql, database, 'image', feedId);
  const f = sqlNames(database.tables.cveVersionFindings);
  const urgencies = new Map<string, { urgency: string; rank: number }>();
  for (const row of await tx.sql.select<{ cve: string; urank: number; urgency: string }>(
    `SELECT ${f.cve} AS cve, ${f.urgencyRank} AS urank, MIN(${f.urgency}) AS urgency FROM ${f.$table}
     WHERE ${f.feedId} = ? GROUP BY ${f.cve}, ${f.urgencyRank}`,
    [feedId],
  )) {
    const known = urgencies.get(row.cve);
    if (!known || Number(row.urank) < known.rank)
      urgencies.set(row.cve, { urgency: row.urgency, rank: Number(row.urank) });
  }
  const c = sqlNames(database.tables.cveFleet);
  const existing = await tx.sql.select<{
    cve: string;
    hf: number;
    hu: number;
    ho: number;
    imf: number;
    iu: number;
    io: number;
    urgency: string;
  }>(
    `SELECT ${c.cve} AS cve, ${c.hostsFixable} AS hf, ${c.hostsUnfixed} AS hu, ${c.hostsOther} AS ho,
       ${c.imagesFixable} AS imf, ${c.imagesUnfixed} AS iu, ${c.imagesOther} AS io, ${c.urgency} AS urgency
     FROM ${c.$table}`,
  );
  const before = new Map(existing.map((row) => [row.cve, row]));
  const cves = new Set([...hosts.keys(), ...images.keys(), ...before.keys()]);
  const writes: unknown[][] = [];
  for (const cve of [...cves].sort()) {
    const [hf, hu, ho] = hosts.get(cve) ?? [0, 0, 0];
    const [imf, imu, imo] = images.get(cve) ?? [0, 0, 0];
    const was = before.get(cve);
    const urgency = urgencies.get(cve) ?? { urgency: was?.urgency ?? 'not yet assigned', rank: 6 };
    const same =
      was &&
      [was.hf, was.hu, was.ho, was.imf, was.iu, was.io].map(Number).join() ===
        [hf, hu, ho, imf, imu, imo].join() &&
      (hf + hu + ho + imf + imu + imo === 0 || was.urgency === urgency.urgency);
    if (same) continue;
    writes.push([
      cve,
      hf,
      hu,
      ho,
      imf,
      imu,
      imo,
      hf + imf,
      hf + hu + ho + imf + imu + imo,
      urgency.urgency,
      urgency.rank,
    ]);
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
