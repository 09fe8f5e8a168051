/**
 * The stored security-tracker dataset (docs/cve.md, "The dataset"): imports are written beside the
 * current one under their own id, in short transactions (reports keep flowing), and become current
 * in one small transaction; the previous one is then deleted a chunk at a time.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { insertRows } from '../../db/sql-runner.ts';
import type { CveInfo, TrackerRow } from '../../domain/tracker-feed.ts';

/** The import pages read. */
export interface CurrentFeed {
  id: number;
  source: string;
  feedTime: Date;
  imported: Date;
  releases: string[];
  statusRows: number;
  cveCount: number;
}

export async function currentFeed(database: Database): Promise<CurrentFeed | null> {
  const { cveFeeds } = database.tables;
  const row = (await database.db.select().from(cveFeeds).where(eq(cveFeeds.state, 'current')).limit(1))[0];
  if (!row) return null;
  return {
    id: row.id,
    source: row.source,
    feedTime: row.feedTime,
    imported: row.imported,
    releases: row.releases === '' ? [] : row.releases.split(','),
    statusRows: row.statusRows,
    cveCount: row.cveCount,
  };
}

/** Starts an import: a `loading` feed row whose id its rows carry. */
export async function beginFeed(database: Database, source: string, now: Date): Promise<number> {
  const f = sqlNames(database.tables.cveFeeds);
  const stamp = database.spelling.timestampParam(now);
  return database.transaction((tx) =>
    tx.sql.insertReturningId(
      `INSERT INTO ${f.$table} (${f.state}, ${f.source}, ${f.feedTime}, ${f.imported}, ${f.releases}, ${f.statusRows}, ${f.cveCount}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ['loading', source, stamp, stamp, '', 0, 0],
    ),
  );
}

/** Writes a batch of an import's rows in one transaction; CVEs already written are skipped. */
export async function writeFeedRows(
  database: Database,
  feedId: number,
  cves: readonly CveInfo[],
  rows: readonly TrackerRow[],
): Promise<void> {
  const i = sqlNames(database.tables.cveIssues);
  const s = sqlNames(database.tables.cvePackageStatus);
  await database.transaction(async (tx) => {
    await insertRows(
      tx.sql,
      database.capabilities,
      i.$table,
      [i.feedId, i.cve, i.description, i.scope, i.debianBug],
      cves.map((c) => [feedId, c.id, c.description, c.scope, c.debianBug]),
      database.spelling.ignoreClause,
    );
    await insertRows(
      tx.sql,
      database.capabilities,
      s.$table,
      [
        s.feedId,
        s.codename,
        s.source,
        s.cve,
        s.status,
        s.fixedVersion,
        s.urgency,
        s.nodsa,
        s.nodsaReason,
        s.nextPointUpdate,
        s.archiveVersion,
        s.unstableFixedVersion,
      ],
      rows.map((r) => [
        feedId,
        r.release,
        r.source,
        r.cve,
        r.status,
        r.fixedVersion,
        r.urgency,
        r.nodsa,
        r.nodsaReason,
        r.nextPointUpdate ? 1 : 0,
        r.archiveVersion,
        r.unstableFixedVersion,
      ]),
      // A package named twice at the top level of the feed: its first object stays.
      database.spelling.ignoreClause,
    );
  });
}

export interface FinishedFeed {
  feedTime: Date;
  imported: Date;
  releases: readonly string[];
  statusRows: number;
  cveCount: number;
}

/** Makes `feedId` the current import and marks the previous one for deletion, in one transaction. */
export async function promoteFeed(database: Database, feedId: number, done: FinishedFeed): Promise<void> {
  await database.transaction((tx) => markCurrent(tx, database, feedId, done));
}

/** Makes `feedId` the current import inside `tx` (./fleet-findings.ts does it with its recount). */
export async function markCurrent(
  tx: Transaction,
  database: Database,
  feedId: number,
  done: FinishedFeed,
): Promise<void> {
  const { cveFeeds } = database.tables;
  await tx.db
    .update(cveFeeds)
    .set({ state: 'retired' })
    .where(and(eq(cveFeeds.state, 'current'), ne(cveFeeds.id, feedId)));
  await tx.db
    .update(cveFeeds)
    .set({
      state: 'current',
      feedTime: done.feedTime,
      imported: done.imported,
      releases: [...done.releases].sort().join(','),
      statusRows: done.statusRows,
      cveCount: done.cveCount,
    })
    .where(eq(cveFeeds.id, feedId));
}

/** Records that the feed was checked and had not changed (the dashboard shows when it was checked). */
export async function touchFeed(database: Database, feedId: number, now: Date): Promise<void> {
  const { cveFeeds } = database.tables;
  await database.transaction((tx) =>
    tx.db.update(cveFeeds).set({ imported: now }).where(eq(cveFeeds.id, feedId)),
  );
}

/** Rows deleted per transaction, so that deleting an import never holds the writer for long. */
const DELETE_CHUNK = 5000;

/** Deletes every import that is not current: retired ones, and loading ones a failure or crash left. */
export async function deleteStaleFeeds(database: Database): Promise<void> {
  const { cveFeeds } = database.tables;
  const stale = await database.db
    .select({ id: cveFeeds.id })
    .from(cveFeeds)
    .where(ne(cveFeeds.state, 'current'));
  for (const { id } of stale) await deleteFeed(database, id);
}

async function deleteFeed(database: Database, feedId: number): Promise<void> {
  const { cveVersionFindings, cveMatchedVersions, cvePackageStatus, cveIssues } = database.tables;
  for (const table of [cveVersionFindings, cveMatchedVersions, cvePackageStatus, cveIssues]) {
    const t = sqlNames(table);
    const [range] = await database.sql.select<{ low: number | null; high: number | null }>(
      `SELECT MIN(${t.id}) AS low, MAX(${t.id}) AS high FROM ${t.$table} WHERE ${t.feedId} = ?`,
      [feedId],
    );
    if (range?.low == null || range.high == null) continue;
    for (let low = Number(range.low); low <= Number(range.high); low += DELETE_CHUNK) {
      await database.transaction((tx) =>
        tx.sql.run(`DELETE FROM ${t.$table} WHERE ${t.feedId} = ? AND ${t.id} BETWEEN ? AND ?`, [
          feedId,
          low,
          low + DELETE_CHUNK - 1,
        ]),
      );
    }
  }
  const f = sqlNames(database.tables.cveFeeds);
  await database.transaction((tx) => tx.sql.run(`DELETE FROM ${f.$table} WHERE ${f.id} = ?`, [feedId]));
}
