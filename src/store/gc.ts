/**
 * Garbage collection (README.md, "Garbage collection"): stale hosts and images, then every catalog
 * row nothing refers to any more. Each step is one set-based DELETE in its own transaction, printing
 * upstream's line; deleting hosts and images first takes their rows off the packages' counts. A
 * report creates and links its versions in one transaction, so GC never sees a version that was
 * created but not yet linked; a report that reuses a version GC deletes at that very moment fails its
 * foreign-key check and retries with a fresh cache (see ingest/report-runner.ts).
 */
import { type AnyColumn, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.ts';
import { sqlNames } from '../db/sql-names.ts';
import { batchRows, inList } from '../db/sql-runner.ts';
import { subtractOwnerRows } from './counts/package-count-deltas.ts';
import { forgetOwnerFindings } from './cve/owner-findings.ts';
import { recordTombstones } from './history/tombstones.ts';
import { withRetries } from './retry.ts';
import type { Store } from './store.ts';

export interface GcOptions {
  /** Hosts not updated for this many days are deleted; 0 = never. */
  hostMaxAgeDays: number;
  /** Images not updated for this many days (and not deployed) are deleted; 0 = never. */
  imageMaxAgeDays: number;
  /** History events older than this many days are pruned; 0 or absent = kept forever. */
  historyRetentionDays?: number;
  /** Events pruned per transaction (tests make it small). */
  historyBatchRows?: number;
  now?: Date;
  /** Receives each output line as soon as its step is done. */
  print?: (line: string) => void;
}

const DAY_MS = 24 * 3600 * 1000;
const ATTEMPTS = 3;

/** Runs every GC step in order and returns the output lines. */
export async function collectGarbage(store: Store, options: GcOptions): Promise<string[]> {
  const { database } = store;
  const now = options.now ?? new Date();
  const t = database.tables;
  const lines: string[] = [];
  const print = (text: string) => {
    lines.push(text);
    options.print?.(text);
  };
  const step = async (query: SQL | null, line: (n: number) => string) => {
    print(line(query === null ? 0 : await deleteWithRetry(database, query)));
  };
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);

  // Each deleted host and image is logged with its last report, so an operator can tell a host that
  // was retired from one that stopped reporting.
  const deleteLogged = async (kind: 'host' | 'image', where: SQL) => {
    const deleted = await deleteOwners(store, kind, where, now);
    for (const owner of deleted)
      print(
        `Deleted ${kind === 'host' ? 'Host' : 'Image'} ${owner.name} (last report ${owner.modified.toISOString()})`,
      );
    return deleted.length;
  };
  print(
    options.imageMaxAgeDays > 0
      ? `Deleted ${await deleteLogged(
          'image',
          sql`${lt(t.images.modified, cutoff(options.imageMaxAgeDays))}
            AND NOT EXISTS (SELECT 1 FROM ${t.kubernetesImages} WHERE ${t.kubernetesImages.imageId} = ${t.images.id})`,
        )} Image objects not updated in the last ${options.imageMaxAgeDays} days`
      : 'Deleted 0 Image objects (GC_IMAGE_MAX_AGE_DAYS is 0: images are never deleted)',
  );
  print(
    options.hostMaxAgeDays > 0
      ? `Deleted ${await deleteLogged(
          'host',
          lt(t.hosts.modified, cutoff(options.hostMaxAgeDays)),
        )} Host objects not updated in the last ${options.hostMaxAgeDays} days`
      : 'Deleted 0 Host objects (GC_HOST_MAX_AGE_DAYS is 0: hosts are never deleted)',
  );
  const retention = options.historyRetentionDays ?? 0;
  print(
    retention > 0
      ? `Deleted ${await pruneHistory(database, cutoff(retention), options.historyBatchRows ?? HISTORY_BATCH_ROWS)} history events older than ${retention} days`
      : 'Deleted 0 history events (HISTORY_RETENTION_DAYS is 0: history is kept forever)',
  );
  const v = t.packageVersions;
  const notUsedBy = (
    rows: typeof t.hostPackages | typeof t.imagePackages | typeof t.packageEvents,
    column: AnyColumn,
  ) => sql`NOT EXISTS (SELECT 1 FROM ${rows} WHERE ${column} = ${v.id})`;
  await step(
    sql`DELETE FROM ${v}
        WHERE ${notUsedBy(t.hostPackages, t.hostPackages.packageVersionId)}
          AND ${notUsedBy(t.hostPackages, t.hostPackages.upgradableVersionId)}
          AND ${notUsedBy(t.imagePackages, t.imagePackages.packageVersionId)}
          AND ${notUsedBy(t.imagePackages, t.imagePackages.upgradableVersionId)}
          AND ${notUsedBy(t.packageEvents, t.packageEvents.fromVersionId)}
          AND ${notUsedBy(t.packageEvents, t.packageEvents.toVersionId)}`,
    // Upstream's line; versions the history still names are kept too (until retention prunes it).
    (n) => `Deleted ${n} PackageVersion objects not referenced by any HostPackage or ImagePackage`,
  );
  await step(
    sql`DELETE FROM ${t.packages} WHERE NOT EXISTS (SELECT 1 FROM ${v} WHERE ${v.packageId} = ${t.packages.id})`,
    (n) => `Deleted ${n} Package objects not referenced by any PackageVersion`,
  );
  const sv = t.srcPackageVersions;
  await step(
    sql`DELETE FROM ${sv} WHERE NOT EXISTS (SELECT 1 FROM ${v} WHERE ${v.srcPackageVersionId} = ${sv.id})`,
    (n) => `Deleted ${n} SrcPackageVersion objects not referenced by any PackageVersion`,
  );
  await step(
    sql`DELETE FROM ${t.srcPackages} WHERE NOT EXISTS (SELECT 1 FROM ${sv} WHERE ${sv.srcPackageId} = ${t.srcPackages.id})`,
    (n) => `Deleted ${n} SrcPackage objects not referenced by any SrcPackageVersion`,
  );
  await step(
    sql`DELETE FROM ${t.kernels} WHERE NOT EXISTS (SELECT 1 FROM ${t.hosts} WHERE ${t.hosts.kernelId} = ${t.kernels.id})`,
    (n) => `Deleted ${n} KernelVersion objects not referenced by any Host`,
  );
  return lines;
}

/**
 * Deletes the hosts or images matching `where` in one transaction: locks them (a report for one of
 * them waits, and finds it gone), records the negation of their rows in the packages' counts,
 * then deletes them (their rows go by ON DELETE CASCADE).
 */
function deleteOwners(
  store: Store,
  kind: 'host' | 'image',
  where: SQL,
  now: Date,
): Promise<{ name: string; modified: Date }[]> {
  const { database } = store;
  const { spelling, capabilities } = database;
  const table = kind === 'host' ? database.tables.hosts : database.tables.images;
  return withRetry(database, () =>
    database.transaction(
      async (tx) => {
        const rows = await tx.sql.selectSql<{ id: number; name: string; modified: unknown }>(
          sql`SELECT ${table.id} AS id, ${table.name} AS name, ${table.modified} AS modified
              FROM ${table} WHERE ${where}${spelling.forUpdate}`,
        );
        const ids = rows.map((row) => Number(row.id));
        await subtractOwnerRows(tx, database, store.counts, kind, ids);
        await forgetOwnerFindings(tx, database, kind, ids);
        for (const batch of batchRows(capabilities, ids, 1))
          await tx.sql.runSql(sql`DELETE FROM ${table} WHERE ${inArray(table.id, batch)}`);
        const owners = rows.map((row) => ({ id: Number(row.id), name: String(row.name) }));
        await recordTombstones(tx, database, kind, owners, 'gc', now);
        return rows
          .map((row) => ({ name: String(row.name), modified: toDate(row.modified) }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      },
      { isolation: 'read committed' },
    ),
  );
}

/** History events pruned per transaction: short transactions, a small write set on Galera. */
const HISTORY_BATCH_ROWS = 2000;

/**
 * Deletes the history events older than `before` in batches, each in its own short transaction: the
 * oldest ids on the time index, then those rows by primary key. No long transaction and no table
 * lock, so reports keep arriving (and a Galera write set stays small). Then the hours of the rollup
 * that start before `before` (a few rows an hour). Returns how many events went.
 */
async function pruneHistory(database: Database, before: Date, rowsPerBatch: number): Promise<number> {
  const limit = Math.max(1, Math.floor(rowsPerBatch));
  const e = sqlNames(database.tables.packageEvents);
  const stamp = database.spelling.timestampParam(before);
  let pruned = 0;
  for (;;) {
    const deleted = await withRetry(database, () =>
      database.transaction(async (tx) => {
        const ids = (
          await tx.sql.selectValues(
            `SELECT ${e.id} FROM ${e.$table} WHERE ${e.created} < ? ORDER BY ${e.created}, ${e.id} LIMIT ${limit}`,
            [stamp],
          )
        ).map((row) => Number(row[0]));
        let count = 0;
        for (const batch of batchRows(database.capabilities, ids, 1)) {
          const list = inList(database.capabilities, batch);
          count += await tx.sql.run(`DELETE FROM ${e.$table} WHERE ${e.id} IN (${list.text})`, list.params);
        }
        return { count, more: ids.length === limit };
      }),
    );
    pruned += deleted.count;
    if (!deleted.more) break;
  }
  // The hourly rollup goes by whole hours, the one holding `before` too: the hours it keeps name only
  // versions that kept events name, which the catalog steps keep (./history/change-hours.ts).
  const h = sqlNames(database.tables.packageChangeHours);
  await withRetry(database, () =>
    database.transaction((tx) => tx.sql.run(`DELETE FROM ${h.$table} WHERE ${h.hour} < ?`, [stamp])),
  );
  return pruned;
}

/** A raw timestamp: milliseconds on SQLite, a Date (or its text) on MySQL. */
function toDate(value: unknown): Date {
  return value instanceof Date
    ? value
    : new Date(typeof value === 'string' ? `${value.replace(' ', 'T')}Z` : Number(value));
}

/**
 * Runs one DELETE in its own transaction. A report committing a link to a row at the same moment
 * makes the DELETE fail on its foreign key (MySQL); the step then starts over.
 */
function deleteWithRetry(database: Database, query: SQL): Promise<number> {
  return withRetry(database, () => database.transaction((tx) => tx.sql.runSql(query)));
}

/**
 * Runs `work` (one transaction) again after a transient failure, or after the foreign-key failure
 * of a report linking a row at the same moment, up to ATTEMPTS times in all; any other error ends
 * the run at once.
 */
function withRetry<T>(database: Database, work: () => Promise<T>): Promise<T> {
  return withRetries(
    database,
    {
      attempts: ATTEMPTS,
      pauseMs: (attempt) => 100 * attempt,
      alsoRetry: (error) => database.errors.isForeignKeyViolation(error),
    },
    work,
  );
}
