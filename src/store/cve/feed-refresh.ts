/**
 * The feed refresh inside `serve` (docs/cve.md, "Importing"): every interval, import the feed unless
 * another instance did so recently; instances sharing a database take turns through the import's
 * named lock. A failure logs one line and leaves the dataset as it was.
 */
import type { Database } from '../../db/open-database.ts';
import type { Logger } from '../../lib/logger.ts';
import { currentFeed } from './feed-dataset.ts';
import { FeedImportError, importFeed } from './import-feed.ts';

export interface FeedRefreshOptions {
  from: string;
  userAgent: string;
  intervalHours: number;
  log: Logger;
  /** The first check, after the start (the server answers first). */
  firstDelayMs?: number;
}

export interface FeedRefresh {
  /** Stops the timer and waits for a running import. */
  stop(): Promise<void>;
}

/** Starts the refresh loop; undefined when the interval is 0 (off). */
export function startFeedRefresh(database: Database, options: FeedRefreshOptions): FeedRefresh | undefined {
  if (options.intervalHours <= 0) return undefined;
  const intervalMs = options.intervalHours * 3600_000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = refreshOnce(database, options, intervalMs).finally(() => schedule(intervalMs));
    }, delay);
  };
  schedule(options.firstDelayMs ?? 10_000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** One turn: skipped when an import (here or on another instance) is younger than the interval. */
export async function refreshOnce(database: Database, options: FeedRefreshOptions, intervalMs: number) {
  const { log } = options;
  try {
    const current = await currentFeed(database);
    // A little slack, so that instances started together do not each import once per interval.
    if (current && Date.now() - current.imported.getTime() < intervalMs * 0.9) return;
    const outcome = await importFeed(database, {
      from: options.from,
      userAgent: options.userAgent,
      lockWaitSeconds: 1,
    });
    if (outcome.kind === 'not-modified') log.info(`CVE feed: ${options.from} has not changed`);
    else
      log.info(
        `CVE feed: imported ${outcome.statusRows} rows (${outcome.cveCount} CVEs; ${outcome.releases.join(', ') || 'no Debian release in the fleet'}) in ${(outcome.ms / 1000).toFixed(1)} s; findings of ${outcome.findings.owners} hosts and images computed again, ${outcome.findings.rows} rows changed`,
      );
  } catch (error) {
    // FeedImportError is the feed's fault; anything else (the lock busy, the database) is logged too,
    // and the next turn tries again.
    const what =
      error instanceof FeedImportError ? 'import failed, keeping the previous dataset' : 'refresh failed';
    log.warn(`CVE feed: ${what}: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
}
