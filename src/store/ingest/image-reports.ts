/**
 * Image reports, the image JSON detail and image deletion (docs/protocol.md, "Image reports" and
 * "Image lookup and deletion").
 */
import { count, eq } from 'drizzle-orm';
import type { Database } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';
import { type ImageReport, isStorableText } from '../../protocol/report.ts';
import { subtractOwnerRows } from '../counts/package-count-deltas.ts';
import { forgetOwnerFindings, refreshOwnerFindings } from '../cve/owner-findings.ts';
import { type DeletedBy, recordTombstones } from '../history/tombstones.ts';
import type { Store } from '../store.ts';
import { resolveOs } from './catalog.ts';
import { type ReportOptions, type ReportOutcome, summarize } from './host-reports.ts';
import type { IngestContext } from './ingest-context.ts';
import { lockOwnerRow, updateOwnerRow } from './owner-rows.ts';
import { applyPackageLists } from './package-report.ts';

/**
 * Applies a validated image report in one transaction. Unlike upstream, an OS change moves the
 * image's rows to the new OS (as for hosts) instead of failing.
 */
export function applyImageReport(
  store: Store,
  report: ImageReport,
  { now = new Date(), maxPackages }: ReportOptions = {},
): Promise<ReportOutcome> {
  const name = report.image_name;
  return store.reports.run(`image:${name}`, async (tx, cache) => {
    const ctx: IngestContext = { tx, database: store.database, cache, counts: store.counts, now };
    const osId = await resolveOs(ctx, report.os);
    const image = await lockOwnerRow(ctx, 'image', name, { osId });
    const lists = { kind: 'image', owner: image, osId, report, maxPackages } as const;
    const { diff, counts, history, cve } = await applyPackageLists(ctx, lists);
    const scope = image.created || image.osId !== osId ? 'all' : { change: cve, kernel: false };
    const owner = { id: image.id, os: report.os, hasPairs: image.hasCvePairs };
    const cveCounters = await refreshOwnerFindings(
      tx,
      store.database,
      'image',
      owner,
      scope,
      image.cveFeedId,
    );
    await updateOwnerRow(ctx, 'image', image.id, { osId, counts, history, cve: cveCounters });
    return summarize(diff, counts);
  });
}

/** The image summary served as JSON. */
export interface ImageSummary {
  name: string;
  os: string;
  created: Date;
  modified: Date;
}

/** Finds an image by its exact name. */
export async function findImageSummary(database: Database, name: string): Promise<ImageSummary | undefined> {
  const { images, operatingSystems } = database.tables;
  const [row] = await database.db
    .select({
      name: images.name,
      os: operatingSystems.name,
      created: images.created,
      modified: images.modified,
    })
    .from(images)
    .innerJoin(operatingSystems, eq(operatingSystems.id, images.osId))
    .where(eq(images.name, name));
  return row;
}

/** Result of an image deletion: done, no such image, or still deployed (Kubernetes rows point at it). */
export type DeleteImageResult =
  | { status: 'deleted' }
  | { status: 'missing' }
  | { status: 'in-use'; deployments: number };

/**
 * Deletes an image and its package rows (taken off the packages' counts first), unless Kubernetes
 * rows still refer to it; leaves a tombstone saying who deleted it (`by`).
 */
export async function deleteImage(
  store: Store,
  name: string,
  { by = 'API', now = new Date() }: { by?: DeletedBy; now?: Date } = {},
): Promise<DeleteImageResult> {
  // No image has such a name (reports refuse it), and on MariaDB 'img ' would select image 'img'.
  if (!isStorableText(name)) return { status: 'missing' };
  const { database } = store;
  return store.reports.run(`image:${name}`, async (tx) => {
    const { images, kubernetesImages } = database.tables;
    const i = sqlNames(images);
    const [row] = await tx.sql.select<{ id: number }>(
      `SELECT ${i.id} AS id FROM ${i.$table} WHERE ${i.name} = ?${database.spelling.forUpdateClause}`,
      [name],
    );
    if (!row) return { status: 'missing' };
    const image = { id: Number(row.id) };
    const [usage] = await tx.db
      .select({ n: count() })
      .from(kubernetesImages)
      .where(eq(kubernetesImages.imageId, image.id));
    const deployments = Number(usage?.n ?? 0);
    if (deployments > 0) return { status: 'in-use', deployments };
    await subtractOwnerRows(tx, database, store.counts, 'image', [image.id]);
    await forgetOwnerFindings(tx, database, 'image', [image.id]);
    await tx.db.delete(images).where(eq(images.id, image.id));
    await recordTombstones(tx, database, 'image', [{ id: image.id, name }], by, now);
    return { status: 'deleted' };
  });
}
