/**
 * Garbage collection (spec/server.md §6): stale hosts and images, then every catalog row nothing
 * refers to any more. Each step is one set-based DELETE in its own transaction, printing upstream's
 * line. A report creates and links its versions in one transaction, so GC never sees a version that
 * was created but not yet linked; a report that reuses a version GC deletes at that very moment
 * fails its foreign-key check and retries with a fresh cache (see report-runner.ts).
 */
import { lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/open-database.ts';

export interface GcOptions {
  /** Hosts not updated for this many days are deleted; 0 = never. */
  hostMaxAgeDays: number;
  /** Images not updated for this many days (and not deployed) are deleted; 0 = never. */
  imageMaxAgeDays: number;
  now?: Date;
  /** Receives each output line as soon as its step is done. */
  print?: (line: string) => void;
}

const DAY_MS = 24 * 3600 * 1000;
const ATTEMPTS = 3;

/** Runs every GC step in order and returns the output lines. */
export async function collectGarbage(database: Database, options: GcOptions): Promise<string[]> {
  const now = options.now ?? new Date();
  const t = database.tables;
  const lines: string[] = [];
  const step = async (query: SQL | null, line: (n: number) => string) => {
    const deleted = query === null ? 0 : await deleteWithRetry(database, query);
    const text = line(deleted);
    lines.push(text);
    options.print?.(text);
  };
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);

  await step(
    options.imageMaxAgeDays > 0
      ? sql`DELETE FROM ${t.images} WHERE ${lt(t.images.modified, cutoff(options.imageMaxAgeDays))}
            AND NOT EXISTS (SELECT 1 FROM ${t.kubernetesImages} k WHERE k.image_id = ${t.images}.id)`
      : null,
    (n) =>
      options.imageMaxAgeDays > 0
        ? `Deleted ${n} Image objects not updated in the last ${options.imageMaxAgeDays} days`
        : 'Deleted 0 Image objects (GC_IMAGE_MAX_AGE_DAYS is 0: images are never deleted)',
  );
  await step(
    options.hostMaxAgeDays > 0
      ? sql`DELETE FROM ${t.hosts} WHERE ${lt(t.hosts.modified, cutoff(options.hostMaxAgeDays))}`
      : null,
    (n) =>
      options.hostMaxAgeDays > 0
        ? `Deleted ${n} Host objects not updated in the last ${options.hostMaxAgeDays} days`
        : 'Deleted 0 Host objects (GC_HOST_MAX_AGE_DAYS is 0: hosts are never deleted)',
  );
  const v = t.packageVersions;
  await step(
    sql`DELETE FROM ${v}
        WHERE NOT EXISTS (SELECT 1 FROM ${t.hostPackages} h WHERE h.package_version_id = ${v}.id)
          AND NOT EXISTS (SELECT 1 FROM ${t.hostPackages} h WHERE h.upgradable_version_id = ${v}.id)
          AND NOT EXISTS (SELECT 1 FROM ${t.imagePackages} i WHERE i.package_version_id = ${v}.id)
          AND NOT EXISTS (SELECT 1 FROM ${t.imagePackages} i WHERE i.upgradable_version_id = ${v}.id)`,
    (n) => `Deleted ${n} PackageVersion objects not referenced by any HostPackage or ImagePackage`,
  );
  await step(
    sql`DELETE FROM ${t.packages}
        WHERE NOT EXISTS (SELECT 1 FROM ${v} v WHERE v.package_id = ${t.packages}.id)`,
    (n) => `Deleted ${n} Package objects not referenced by any PackageVersion`,
  );
  const sv = t.srcPackageVersions;
  await step(
    sql`DELETE FROM ${sv} WHERE NOT EXISTS (SELECT 1 FROM ${v} v WHERE v.src_package_version_id = ${sv}.id)`,
    (n) => `Deleted ${n} SrcPackageVersion objects not referenced by any PackageVersion`,
  );
  await step(
    sql`DELETE FROM ${t.srcPackages} WHERE NOT EXISTS (SELECT 1 FROM ${sv} s WHERE s.src_package_id = ${t.srcPackages}.id)`,
    (n) => `Deleted ${n} SrcPackage objects not referenced by any SrcPackageVersion`,
  );
  await step(
    sql`DELETE FROM ${t.kernels} WHERE NOT EXISTS (SELECT 1 FROM ${t.hosts} h WHERE h.kernel_id = ${t.kernels}.id)`,
    (n) => `Deleted ${n} KernelVersion objects not referenced by any Host`,
  );
  return lines;
}

/**
 * Runs one DELETE in its own transaction. A report committing a link to a row at the same moment
 * makes the DELETE fail on its foreign key (MySQL); the step then starts over.
 */
async function deleteWithRetry(database: Database, query: SQL): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.transaction((tx) => database.dialect.executeCount(tx, query));
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await Bun.sleep(100 * attempt);
    }
  }
}
