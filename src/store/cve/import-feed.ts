/**
 * One import of the Debian security tracker's feed (docs/cve.md, "Importing"): fetch it (or see that it
 * has not changed), parse it as a stream, keep the releases the fleet runs, and make it current only
 * once every row is written. Anything that fails leaves the previous dataset as it was.
 */
import type { Database } from '../../db/open-database.ts';
import { codenameOfOs } from '../../domain/debian-releases.ts';
import {
  type CveInfo,
  FeedFormatError,
  readTrackerPackage,
  type TrackerRow,
} from '../../domain/tracker-feed.ts';
import { JsonStreamError, objectEntries } from '../../lib/json-object-entries.ts';
import { FeedFetchError, openFeed } from '../../lib/open-feed.ts';
import {
  beginFeed,
  currentFeed,
  deleteStaleFeeds,
  markCurrent,
  promoteFeed,
  touchFeed,
  writeFeedRows,
} from './feed-dataset.ts';
import {
  matchFleetPairs,
  promoteIncrementally,
  type RecomputeOutcome,
  recomputeFindings,
} from './fleet-findings.ts';

/** The named lock that lets one server instance import at a time. */
export const CVE_IMPORT_LOCK = 'debmonitor_cve_import';

/** An import that failed; its message is one line, and the previous dataset is unchanged. */
export class FeedImportError extends Error {}

export interface ImportFeedOptions {
  /** A URL or a file. */
  from: string;
  userAgent: string;
  /** Ask even if the feed has not changed since the current import (no If-Modified-Since). */
  force?: boolean;
  now?: () => Date;
  /** How long to wait for another instance's import, in seconds. */
  lockWaitSeconds?: number;
  /** Most milliseconds without data from the server (lib/open-feed.ts). */
  timeoutMs?: number;
  /** Most changed CVEs counted alone (INCREMENTAL_MAX_CVES; tests lower it). */
  incrementalMaxCves?: number;
}

export type ImportOutcome =
  | {
      kind: 'imported';
      feedId: number;
      releases: string[];
      statusRows: number;
      cveCount: number;
      ms: number;
      /** The fleet's pairs matched and its counts counted again (docs/cve.md, "Stored findings"). */
      findings: RecomputeOutcome;
    }
  | { kind: 'not-modified' };

/** Rows written per transaction. */
const BATCH_ROWS = 2000;

export async function importFeed(database: Database, options: ImportFeedOptions): Promise<ImportOutcome> {
  const now = options.now ?? (() => new Date());
  return database.withNamedLock(CVE_IMPORT_LOCK, options.lockWaitSeconds ?? 600, async () => {
    await deleteStaleFeeds(database);
    const started = performance.now();
    const current = await currentFeed(database);
    const releases = await fleetReleases(database);
    const unchanged = current !== null && current.source === options.from && !options.force;
    const opened = await openFeed({
      from: options.from,
      userAgent: options.userAgent,
      ifModifiedSince: unchanged ? current.feedTime : null,
      timeoutMs: options.timeoutMs,
    }).catch(explain);
    if (opened.notModified) {
      if (current) await touchFeed(database, current.id, now());
      return { kind: 'not-modified' };
    }
    const feedId = await beginFeed(database, options.from, now());
    try {
      const counts = await writeFeed(database, feedId, opened.body, releases);
      const imported = now();
      const { covered, ...totals } = counts;
      // The fleet's pairs matched before the import is current, so that pages switch to it whole.
      const early = await matchFleetPairs(database, feedId, covered);
      const finished = { feedTime: opened.lastModified ?? imported, imported, releases: covered, ...totals };
      // Made current with a count of what changed since the current import, else counted whole after
      // (docs/cve.md, "What an import costs"); the previous import's findings are needed until then.
      let late = await promoteIncrementally(
        database,
        feedId,
        covered,
        (tx) => markCurrent(tx, database, feedId, finished),
        { maxCves: options.incrementalMaxCves },
      );
      if (!late) {
        await promoteFeed(database, feedId, finished);
        late = await recomputeFindings(database);
      }
      await deleteStaleFeeds(database);
      const findings = { ...late, pairs: early.pairs + late.pairs, batches: early.batches + late.batches };
      return {
        kind: 'imported',
        feedId,
        releases: covered,
        ...totals,
        ms: performance.now() - started,
        findings,
      };
    } catch (error) {
      await deleteStaleFeeds(database);
      return explain(error);
    }
  });
}

/** Parses the feed as it arrives and writes it in batches under `feedId`. */
async function writeFeed(
  database: Database,
  feedId: number,
  body: AsyncIterable<Uint8Array>,
  releases: ReadonlySet<string>,
): Promise<{ statusRows: number; cveCount: number; covered: string[] }> {
  const seenCves = new Set<string>();
  // The fleet's releases the feed holds: one it lacks (end-of-life) is "not covered", not "no CVEs".
  const covered = new Set<string>();
  let cves: CveInfo[] = [];
  let rows: TrackerRow[] = [];
  let statusRows = 0;
  let packages = 0;
  const flush = async () => {
    await writeFeedRows(database, feedId, cves, rows);
    statusRows += rows.length;
    cves = [];
    rows = [];
  };
  for await (const [source, value] of objectEntries(body)) {
    packages++;
    const found = readTrackerPackage(source, value, releases);
    for (const cve of found.cves) {
      if (seenCves.has(cve.id)) continue;
      seenCves.add(cve.id);
      cves.push(cve);
    }
    for (const row of found.rows) {
      rows.push(row);
      covered.add(row.release);
    }
    if (rows.length >= BATCH_ROWS) await flush();
  }
  await flush();
  // The real feed names thousands of packages; an empty object is a broken export, not a clean slate.
  if (packages === 0) throw new FeedFormatError('the feed names no package');
  return { statusRows, cveCount: seenCves.size, covered: [...covered].sort() };
}

/**
 * The tracker codenames of the releases the fleet runs, from the OS labels hosts and images reported
 * (unstable's fixed versions are kept on each row, domain/tracker-feed.ts).
 */
export async function fleetReleases(database: Database): Promise<Set<string>> {
  const { operatingSystems } = database.tables;
  const names = await database.db.select({ name: operatingSystems.name }).from(operatingSystems);
  const releases = new Set<string>();
  for (const { name } of names) {
    const codename = codenameOfOs(name);
    if (codename) releases.add(codename);
  }
  return releases;
}

/** Turns a fetch or format failure into a one-line FeedImportError; anything else (the database) as is. */
function explain(error: unknown): never {
  if (error instanceof FeedFetchError) throw new FeedImportError(error.message);
  if (error instanceof JsonStreamError || error instanceof FeedFormatError)
    throw new FeedImportError(`the feed does not parse: ${error.message}`);
  // A body cut off by the network surfaces as a stream error.
  if (error instanceof TypeError || (error as { code?: string }).code === 'ECONNRESET')
    throw new FeedImportError(`the feed could not be read: ${(error as Error).message}`);
  throw error;
}
