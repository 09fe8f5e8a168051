/**
 * The spool of failed reports (docs/agent.md, "The spool and the lock"): one JSON file per report and
 * server, written to a temporary name and renamed so a crash never leaves half a file, replayed in order
 * on the next run, and bounded by age and count so a long outage cannot fill the disk.
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentLogger } from '../log.ts';

/** A report waiting to be sent to one server. */
export interface SpooledReport {
  /** Endpoint path, e.g. `/hosts/host1.example.org/update`. */
  path: string;
  /** `host:<name>` or `image:<name>`: a newer full report for the same target replaces this one. */
  target: string;
  updateType: string;
  /** When the data was collected (ms since epoch); replay order and supersession use it. */
  collectedAt: number;
  payload: unknown;
}

/** A spooled report and the file that holds it. */
export interface SpoolEntry extends SpooledReport {
  file: string;
}

/** Spooled reports older than this are dropped: the next full run makes the server right again. */
export const MAX_SPOOL_AGE_MS = 7 * 24 * 3600 * 1000;
/** At most this many reports wait per server; the oldest go first. */
export const MAX_SPOOL_ENTRIES = 100;

/** The spool of one server, in `<spoolDir>/<serverKey>/`. */
export class ServerSpool {
  readonly directory: string;

  constructor(
    spoolDir: string,
    serverKey: string,
    private readonly logger: AgentLogger,
  ) {
    this.directory = join(spoolDir, serverKey);
  }

  /** Stores a report for a later run; logs and returns false when the spool cannot be written. */
  save(report: SpooledReport): boolean {
    // Zero-padded time first: name order is collection order. The random part keeps names unique.
    const name = `${String(report.collectedAt).padStart(15, '0')}-${process.pid}-${randomUUID().slice(0, 8)}.json`;
    const temporary = join(this.directory, `.${name}.tmp`);
    try {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, JSON.stringify(report), { mode: 0o600 });
      renameSync(temporary, join(this.directory, name));
      return true;
    } catch (error) {
      rmSync(temporary, { force: true });
      this.logger.warn(`Unable to spool the report in ${this.directory}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Lists the spooled reports, oldest first; unreadable files are dropped with a warning. */
  list(): SpoolEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.directory).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    } catch {
      return [];
    }
    const entries: SpoolEntry[] = [];
    for (const name of names.sort()) {
      const file = join(this.directory, name);
      try {
        const report = JSON.parse(readFileSync(file, 'utf8')) as SpooledReport;
        entries.push({ ...report, file });
      } catch (error) {
        this.logger.warn(`Dropping unreadable spooled report ${file}: ${(error as Error).message}`);
        rmSync(file, { force: true });
      }
    }
    return entries;
  }

  /** Deletes one spooled report. */
  remove(entry: SpoolEntry): void {
    rmSync(entry.file, { force: true });
  }

  /** Drops reports beyond the age and count bounds; returns how many were dropped. */
  prune(now: number = Date.now()): number {
    const entries = this.list();
    const tooOld = entries.filter((entry) => now - entry.collectedAt > MAX_SPOOL_AGE_MS);
    const young = entries.filter((entry) => now - entry.collectedAt <= MAX_SPOOL_AGE_MS);
    const excess = young.slice(0, Math.max(0, young.length - MAX_SPOOL_ENTRIES));
    const dropped = [...tooOld, ...excess];
    for (const entry of dropped) this.remove(entry);
    if (dropped.length > 0) {
      this.logger.warn(
        `Dropped ${dropped.length} spooled report(s) from ${this.directory} (older than 7 days or over ` +
          `${MAX_SPOOL_ENTRIES}); the server is out of date until the next full run`,
      );
    }
    return dropped.length;
  }
}
