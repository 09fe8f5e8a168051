/**
 * The stored CVE findings of hosts and images (docs/cve.md, "Stored findings"): `host_cves` and
 * `image_cves`, the owners' `cve_fixable` / `cve_urgent` counters and the per-CVE counts of
 * `cve_fleet`. A report computes again only the sources it changed (in its own transaction); a feed
 * import computes every owner again, a batch of owners per transaction, each distinct (release, source,
 * version) matched once. Either way only the findings that differ are written.
 */
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { batchRows, inList, insertRows, type SqlRunner } from '../../db/sql-runner.ts';
import {
  addFleetDeltas,
  type FleetDelta,
  findingKey,
  findingsOfSource,
  ownerCounters,
  ownerStates,
  STORED_STATES,
  type StoredFinding,
  type StoredState,
  sameFinding,
} from '../../domain/cve-findings.ts';
import {
  type InstalledSource,
  isKernelSource,
  runningKernelVersion,
  sourcesToMatch,
} from '../../domain/cve-sources.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import { yieldToEventLoop } from '../../lib/yield.ts';
import { readReleaseRows } from './release-rows.ts';

export type FindingOwnerKind = 'host' | 'image';

/**
 * Which of an owner's findings to compute again: all of them (a new owner, an OS change, a feed
 * import), or those of some source packages (by name, as reported) and of the running kernel.
 */
export type FindingScope = 'all' | { sources: ReadonlySet<string>; kernel: boolean };

/** The current import, as findings need it. */
export interface FindingFeed {
  id: number;
  releases: readonly string[];
}

/**
 * The current import, or null before the first one (one row of a small table). Inside a report's
 * transaction (`runner` a transaction's), the row is share-locked until the report commits: an import
 * cannot become current while a report computes findings from the previous one, so every report
 * either sees the new import or has committed before the import computes every owner again (on MySQL,
 * where reports run side by side; SQLite's writers never overlap).
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

const NONE: StoredFinding[] = [];

/**
 * Matches source pairs against the feed, remembering each (release, source, version): a feed import
 * matches every distinct pair of the fleet once, however many owners share it.
 */
export class FindingMatcher {
  private readonly memo = new Map<string, StoredFinding[]>();
  constructor(
    private readonly database: Database,
    readonly feed: FindingFeed,
  ) {}

  covers(release: string | null): release is string {
    return release !== null && this.feed.releases.includes(release);
  }

  /** The stored findings of `pairs` in `release`: reads the feed rows of sources not matched yet. */
  async findings(
    runner: SqlRunner,
    release: string,
    pairs: readonly InstalledSource[],
  ): Promise<StoredFinding[]> {
    const key = (pair: InstalledSource) => `${release}\u0000${pair.name}\u0000${pair.version}`;
    const missing = pairs.filter((pair) => !this.memo.has(key(pair)));
    if (missing.length > 0) {
      const names = [...new Set(missing.map((pair) => pair.name))];
      const rows = await readReleaseRows(this.database, runner, this.feed.id, release, names);
      const bySource = new Map<string, typeof rows>();
      for (const row of rows) {
        const list = bySource.get(row.source);
        if (list) list.push(row);
        else bySource.set(row.source, [row]);
      }
      for (const pair of missing) {
        const found = findingsOfSource(pair, bySource.get(pair.name) ?? []);
        this.memo.set(key(pair), found.length > 0 ? found : NONE);
      }
    }
    return pairs.flatMap((pair) => this.memo.get(key(pair)) ?? NONE);
  }

  /** How many distinct pairs were matched (for the import's log line). */
  get matchedPairs(): number {
    return this.memo.size;
  }
}

/** The columns of host_packages and image_packages read here, by their SQL names. */
type PackageRowNames = { $table: string; packageId: string; packageVersionId: string };

/** The SQL names of an owner kind's findings table, owner column and owner table. */
function namesOf(database: Database, kind: FindingOwnerKind) {
  if (kind === 'host') {
    const findings = sqlNames(database.tables.hostCves);
    return {
      findings,
      ownerColumn: findings.hostId,
      owners: sqlNames(database.tables.hosts),
      packages: sqlNames(database.tables.hostPackages) as PackageRowNames,
      packageOwner: sqlNames(database.tables.hostPackages).hostId,
    };
  }
  const findings = sqlNames(database.tables.imageCves);
  return {
    findings,
    ownerColumn: findings.imageId,
    owners: sqlNames(database.tables.images),
    packages: sqlNames(database.tables.imagePackages) as PackageRowNames,
    packageOwner: sqlNames(database.tables.imagePackages).imageId,
  };
}

/**
 * The installed source pairs of owners, by owner: all of them, or those of `names` (and with
 * `kernel`, every kernel source, which the running kernel's rules need).
 */
async function readOwnerPairs(
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
    const names = inList(database.capabilities, only.names);
    const kernel = only.kernel ? ` OR s.${s.name} = 'linux' OR s.${s.name} LIKE 'linux-signed-%'` : '';
    text += ` AND (s.${s.name} IN (${names.text})${kernel})`;
    params.push(...names.params);
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

/** The source names of the owner's rows of `packageIds` (what a report is about to change or changed). */
export async function sourcesOfPackages(
  database: Database,
  runner: SqlRunner,
  kind: FindingOwnerKind,
  ownerId: number,
  packageIds: readonly number[],
): Promise<Set<string>> {
  const names = new Set<string>();
  if (packageIds.length === 0) return names;
  const { packages: r, packageOwner } = namesOf(database, kind);
  const v = sqlNames(database.tables.packageVersions);
  const sv = sqlNames(database.tables.srcPackageVersions);
  const s = sqlNames(database.tables.srcPackages);
  for (const batch of batchRows(database.capabilities, packageIds, 1)) {
    const ids = inList(database.capabilities, batch);
    const rows = await runner.select<{ source: string }>(
      `SELECT DISTINCT s.${s.name} AS source FROM ${r.$table} r
       JOIN ${v.$table} v ON v.${v.id} = r.${r.packageVersionId}
       JOIN ${sv.$table} sv ON sv.${sv.id} = v.${v.srcPackageVersionId}
       JOIN ${s.$table} s ON s.${s.id} = sv.${sv.srcPackageId}
       WHERE r.${packageOwner} = ? AND r.${r.packageId} IN (${ids.text})`,
      [ownerId, ...ids.params],
    );
    for (const row of rows) names.add(row.source);
  }
  return names;
}

/** A stored finding with its row id. */
interface StoredRow {
  id: number;
  finding: StoredFinding;
}

/** The owners' stored findings, by owner and finding key. */
async function readStoredFindings(
  database: Database,
  runner: SqlRunner,
  kind: FindingOwnerKind,
  ownerIds: readonly number[],
  /** Only the findings of these sources, or (`by: 'cve'`) of these CVEs. */
  only?: { by: 'source' | 'cve'; values: readonly string[] },
): Promise<Map<number, Map<string, StoredRow>>> {
  const { findings: c, ownerColumn } = namesOf(database, kind);
  const owners = inList(database.capabilities, ownerIds);
  let filter = '';
  const filterParams: unknown[] = [];
  if (only) {
    const values = inList(database.capabilities, only.values);
    filter = ` AND ${only.by === 'source' ? c.source : c.cve} IN (${values.text})`;
    filterParams.push(...values.params);
  }
  const rows = await runner.select<{
    id: number;
    owner: number;
    cve: string;
    source: string;
    installed_version: string;
    state: string;
    reason: string | null;
    fixed_version: string | null;
    urgency: string;
    urgency_rank: number;
  }>(
    `SELECT ${c.id} AS id, ${ownerColumn} AS owner, ${c.cve} AS cve, ${c.source} AS source,
       ${c.installedVersion} AS installed_version, ${c.state} AS state, ${c.reason} AS reason,
       ${c.fixedVersion} AS fixed_version, ${c.urgency} AS urgency, ${c.urgencyRank} AS urgency_rank
     FROM ${c.$table} WHERE ${ownerColumn} IN (${owners.text})${filter}`,
    [...owners.params, ...filterParams],
  );
  const byOwner = new Map<number, Map<string, StoredRow>>();
  for (const row of rows) {
    const owner = Number(row.owner);
    let map = byOwner.get(owner);
    if (!map) {
      map = new Map();
      byOwner.set(owner, map);
    }
    const finding: StoredFinding = {
      cve: row.cve,
      source: row.source,
      installedVersion: row.installed_version,
      state: row.state as StoredState,
      reason: row.reason,
      fixedVersion: row.fixed_version,
      urgency: row.urgency,
      urgencyRank: Number(row.urgency_rank),
    };
    map.set(findingKey(finding), { id: Number(row.id), finding });
  }
  return byOwner;
}

/** One owner to compute again. */
interface OwnerTarget {
  id: number;
  /** The OS label (`Debian 12`). */
  os: string;
  /** A host's kernel banner (`uname -v`). */
  kernelBanner: string | null;
  /** The owner row's counters, when read; otherwise those of its stored findings are taken. */
  counters?: { fixable: number; urgent: number };
}

/** An owner's new findings for the sources `replaces` accepts (every other stored finding stays). */
interface OwnerChange {
  id: number;
  stored: Map<string, StoredRow>;
  replaces: (source: string) => boolean;
  findings: StoredFinding[];
  counters?: { fixable: number; urgent: number };
  /**
   * `stored` holds only the findings of the CVEs the change can touch (a report's): the counters
   * move by the difference instead of being counted afresh, and `counters` must be given.
   */
  partial?: boolean;
}

/** Computes the findings of one owner's pairs within `scope`. */
async function computeOwner(
  matcher: FindingMatcher,
  runner: SqlRunner,
  kind: FindingOwnerKind,
  target: OwnerTarget,
  pairs: readonly InstalledSource[],
  scope: FindingScope,
  stored: Map<string, StoredRow>,
): Promise<OwnerChange> {
  const release = codenameOfOs(target.os);
  const base = { id: target.id, stored, counters: target.counters };
  // An OS the feed does not cover has no findings at all ("not covered", never "0 CVEs").
  if (!matcher.covers(release)) return { ...base, replaces: () => true, findings: [] };
  let matched = sourcesToMatch({
    sources: pairs,
    kind,
    runningKernel: target.kernelBanner ? runningKernelVersion(target.kernelBanner) : null,
  });
  let replaces: (source: string) => boolean = () => true;
  if (scope !== 'all') {
    const names = new Set<string>();
    for (const name of scope.sources) names.add(isKernelSource(name) ? 'linux' : name);
    if (scope.kernel) names.add('linux');
    matched = matched.filter((pair) => names.has(pair.name));
    replaces = (source) => names.has(source);
  }
  return { ...base, replaces, findings: await matcher.findings(runner, release, matched) };
}

const rank = (state: StoredState) => STORED_STATES.indexOf(state);

/**
 * Writes what the changes alter: deleted and upserted finding rows, the owners' counters, and the
 * per-CVE deltas, in the caller's transaction. Returns how many finding rows were written or deleted.
 */
async function writeChanges(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  changes: readonly OwnerChange[],
): Promise<number> {
  const { findings: c, ownerColumn, owners: o } = namesOf(database, kind);
  const deletes: number[] = [];
  const upserts: unknown[][] = [];
  const deltas = new Map<string, FleetDelta>();
  const counters: { id: number; fixable: number; urgent: number }[] = [];
  for (const change of changes) {
    const next = new Map<string, StoredFinding>();
    for (const [key, row] of change.stored)
      if (!change.replaces(row.finding.source)) next.set(key, row.finding);
    for (const finding of change.findings) {
      const key = findingKey(finding);
      const known = next.get(key);
      // Two versions of one source (half-way through an upgrade): the worse finding stands.
      if (!known || rank(finding.state) < rank(known.state)) next.set(key, finding);
    }
    for (const [key, row] of change.stored) if (!next.has(key)) deletes.push(row.id);
    for (const [key, finding] of next) {
      const known = change.stored.get(key);
      if (known && sameFinding(known.finding, finding)) continue;
      upserts.push([
        change.id,
        finding.cve,
        finding.source,
        finding.installedVersion,
        finding.state,
        finding.reason,
        finding.fixedVersion,
        finding.urgency,
        finding.urgencyRank,
      ]);
    }
    const before = ownerStates([...change.stored.values()].map((row) => row.finding));
    const after = ownerStates(next.values());
    addFleetDeltas(deltas, before, after);
    const was = change.counters ?? ownerCounters(before);
    let now = ownerCounters(after);
    if (change.partial) {
      const less = ownerCounters(before);
      now = {
        fixable: was.fixable + now.fixable - less.fixable,
        urgent: was.urgent + now.urgent - less.urgent,
      };
    }
    if (was.fixable !== now.fixable || was.urgent !== now.urgent) counters.push({ id: change.id, ...now });
  }
  for (const batch of batchRows(database.capabilities, deletes, 1)) {
    const ids = inList(database.capabilities, batch);
    await tx.sql.run(`DELETE FROM ${c.$table} WHERE ${c.id} IN (${ids.text})`, ids.params);
  }
  const updated = [c.installedVersion, c.state, c.reason, c.fixedVersion, c.urgency, c.urgencyRank];
  await insertRows(
    tx.sql,
    database.capabilities,
    c.$table,
    [ownerColumn, c.cve, c.source, ...updated],
    upserts,
    database.spelling.upsertClause([ownerColumn, c.cve, c.source], updated),
  );
  for (const batch of batchRows(database.capabilities, counters, 5)) {
    const ids = inList(
      database.capabilities,
      batch.map((row) => row.id),
    );
    const cases = (column: 'fixable' | 'urgent') => ({
      text: `CASE ${o.id} ${batch.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${column === 'fixable' ? o.cveFixable : o.cveUrgent} END`,
      params: batch.flatMap((row) => [row.id, row[column]]),
    });
    const fixable = cases('fixable');
    const urgent = cases('urgent');
    await tx.sql.run(
      `UPDATE ${o.$table} SET ${o.cveFixable} = ${fixable.text}, ${o.cveUrgent} = ${urgent.text} WHERE ${o.id} IN (${ids.text})`,
      [...fixable.params, ...urgent.params, ...ids.params],
    );
  }
  await writeFleetDeltas(tx, database, kind, deltas);
  return deletes.length + upserts.length;
}

/** Adds the deltas to `cve_fleet`, in CVE order (so that concurrent writers lock rows in one order). */
async function writeFleetDeltas(
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
 * Computes one owner's findings again within `scope`, inside a report's transaction (the owner's row
 * is locked). Costs, with a feed: one query for the current import, one for the owner's stored
 * findings, one for its source pairs in scope, one for the feed rows of those sources, and only the
 * rows that changed written. Without an import, only the first.
 */
export async function refreshOwnerFindings(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  owner: { id: number; os: string; kernelBanner?: string | null },
  scope: FindingScope,
  /** The current import, when the caller already read it. */
  known?: FindingFeed,
): Promise<void> {
  if (scope !== 'all' && scope.sources.size === 0 && !scope.kernel) return;
  const feed = known ?? (await currentFindingFeed(database, tx.sql));
  if (!feed) return;
  const matcher = new FindingMatcher(database, feed);
  const only =
    scope === 'all'
      ? undefined
      : {
          names: [...scope.sources],
          kernel: kind === 'host' && (scope.kernel || [...scope.sources].some(isKernelSource)),
        };
  const release = codenameOfOs(owner.os);
  const pairs = matcher.covers(release)
    ? ((await readOwnerPairs(database, tx.sql, kind, [owner.id], only)).get(owner.id) ?? [])
    : [];
  const target = { id: owner.id, os: owner.os, kernelBanner: owner.kernelBanner ?? null };
  if (scope === 'all') {
    const stored = (await readStoredFindings(database, tx.sql, kind, [owner.id])).get(owner.id) ?? new Map();
    await writeChanges(tx, database, kind, [
      await computeOwner(matcher, tx.sql, kind, target, pairs, scope, stored),
    ]);
    return;
  }
  // A report reads only the stored findings its change can touch: those of the sources it computes
  // again, and the other sources' findings of the same CVEs (an owner's state for a CVE is its worst).
  const change = await computeOwner(matcher, tx.sql, kind, target, pairs, scope, new Map());
  const names = new Set<string>();
  for (const name of scope.sources) names.add(isKernelSource(name) ? 'linux' : name);
  if (scope.kernel) names.add('linux');
  const stored = new Map<string, StoredRow>();
  const read = async (only: { by: 'source' | 'cve'; values: readonly string[] }) => {
    for (const batch of batchRows(database.capabilities, only.values, 1)) {
      const found = await readStoredFindings(database, tx.sql, kind, [owner.id], { ...only, values: batch });
      for (const [key, row] of found.get(owner.id) ?? []) stored.set(key, row);
    }
  };
  await read({ by: 'source', values: [...names] });
  const cves = new Set<string>();
  for (const row of stored.values()) cves.add(row.finding.cve);
  for (const finding of change.findings) cves.add(finding.cve);
  if (cves.size > 0) await read({ by: 'cve', values: [...cves] });
  const { owners: o } = namesOf(database, kind);
  const [row] = await tx.sql.select<{ fixable: number; urgent: number }>(
    `SELECT ${o.cveFixable} AS fixable, ${o.cveUrgent} AS urgent FROM ${o.$table} WHERE ${o.id} = ?`,
    [owner.id],
  );
  const counters = { fixable: Number(row?.fixable ?? 0), urgent: Number(row?.urgent ?? 0) };
  await writeChanges(tx, database, kind, [{ ...change, stored, counters, partial: true }]);
}

/** What computing every owner again did. */
export interface RecomputeOutcome {
  owners: number;
  /** Finding rows written or deleted. */
  rows: number;
  /** Distinct (release, source, version) pairs matched. */
  pairs: number;
  batches: number;
  /** How long it took. */
  ms: number;
}

/** Owners per transaction when a feed import computes every owner again. */
export const RECOMPUTE_BATCH_OWNERS = 25;

/**
 * Computes every host's and image's findings again against the current import, a batch of owners
 * per transaction (their rows locked, so a report for one of them waits for the batch or the batch
 * for it), yielding between batches so that reports and pages keep flowing.
 */
export async function recomputeFindings(
  database: Database,
  { batchOwners = RECOMPUTE_BATCH_OWNERS }: { batchOwners?: number } = {},
): Promise<RecomputeOutcome> {
  const started = performance.now();
  const outcome: RecomputeOutcome = { owners: 0, rows: 0, pairs: 0, batches: 0, ms: 0 };
  const feed = await currentFindingFeed(database, database.sql, { lock: false });
  if (!feed) return outcome;
  const matcher = new FindingMatcher(database, feed);
  for (const kind of ['host', 'image'] as const) {
    const { owners: o } = namesOf(database, kind);
    let lastId = 0;
    for (;;) {
      const ids = (
        await database.sql.select<{ id: number }>(
          `SELECT ${o.id} AS id FROM ${o.$table} WHERE ${o.id} > ? ORDER BY ${o.id} LIMIT ${Number(batchOwners)}`,
          [lastId],
        )
      ).map((row) => Number(row.id));
      if (ids.length === 0) break;
      lastId = ids[ids.length - 1] as number;
      outcome.rows += await database.transaction(async (tx) => {
        const targets = await lockTargets(tx, database, kind, ids);
        const present = targets.map((target) => target.id);
        if (present.length === 0) return 0;
        const pairs = await readOwnerPairs(database, tx.sql, kind, present);
        const stored = await readStoredFindings(database, tx.sql, kind, present);
        const changes: OwnerChange[] = [];
        for (const target of targets)
          changes.push(
            await computeOwner(
              matcher,
              tx.sql,
              kind,
              target,
              pairs.get(target.id) ?? [],
              'all',
              stored.get(target.id) ?? new Map(),
            ),
          );
        return writeChanges(tx, database, kind, changes);
      });
      outcome.owners += ids.length;
      outcome.batches++;
      await yieldToEventLoop();
    }
  }
  outcome.pairs = matcher.matchedPairs;
  outcome.ms = performance.now() - started;
  return outcome;
}

/** Locks the batch's owner rows (only them: catalog rows are shared) and reads what matching needs. */
async function lockTargets(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ids: readonly number[],
): Promise<OwnerTarget[]> {
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
  const rows = await tx.sql.select<{
    id: number;
    os: string;
    kernel: string | null;
    cve_fixable: number;
    cve_urgent: number;
  }>(
    `SELECT o.${o.id} AS id, os.${os.name} AS os, ${kernel} AS kernel, o.${o.cveFixable} AS cve_fixable,
       o.${o.cveUrgent} AS cve_urgent
     FROM ${o.$table} o JOIN ${os.$table} os ON os.${os.id} = o.${o.osId} ${join}
     WHERE o.${o.id} IN (${list.text})`,
    list.params,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    os: row.os,
    kernelBanner: row.kernel,
    counters: { fixable: Number(row.cve_fixable), urgent: Number(row.cve_urgent) },
  }));
}

/**
 * Takes an owner's findings off the per-CVE counts before it is deleted (its finding rows go with it
 * by cascade), as the package counts are (store/counts/package-count-deltas.ts subtractOwnerRows).
 */
export async function forgetOwnerFindings(
  tx: Transaction,
  database: Database,
  kind: FindingOwnerKind,
  ownerIds: readonly number[],
): Promise<void> {
  for (const batch of batchRows(database.capabilities, ownerIds, 1)) {
    const stored = await readStoredFindings(database, tx.sql, kind, batch);
    const deltas = new Map<string, FleetDelta>();
    for (const findings of stored.values())
      addFleetDeltas(deltas, ownerStates([...findings.values()].map((row) => row.finding)), new Map());
    await writeFleetDeltas(tx, database, kind, deltas);
  }
}
