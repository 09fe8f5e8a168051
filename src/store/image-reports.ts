/**
 * Image reports, the image JSON detail and image deletion (docs/protocol.md, "Image reports" and
 * "Image lookup and deletion").
 */
import { count, eq } from 'drizzle-orm';
import type { Database } from '../db/open-database.ts';
import { type ImageReport, isStorableText } from '../protocol/report.ts';
import { resolveOs } from './catalog.ts';
import { type ReportOptions, type ReportOutcome, summarize } from './host-reports.ts';
import { lockOwnerRow } from './owner-rows.ts';
import { subtractOwnerRows } from './package-count-deltas.ts';
import { applyPackageLists } from './package-report.ts';
import { runReport } from './report-runner.ts';

/**
 * Applies a validated image report in one transaction. Unlike upstream, an OS change moves the
 * image's rows to the new OS (as for hosts) instead of failing.
 */
export function applyImageReport(
  database: Database,
  report: ImageReport,
  { now = new Date(), maxPackages }: ReportOptions = {},
): Promise<ReportOutcome> {
  const name = report.image_name;
  return runReport(database, `image:${name}`, async (tx, cache) => {
    const osId = await resolveOs(tx, database, cache, report.os);
    const image = await lockOwnerRow(tx, database, 'image', name, { osId, created: now, modified: now });
    const lists = { kind: 'image', owner: image, osId, report, now, maxPackages } as const;
    const { diff, counts } = await applyPackageLists(tx, database, cache, lists);
    const { images } = database.tables;
    await tx
      .update(images)
      .set({
        osId,
        packageCount: counts.packages,
        upgradeCount: counts.upgrades,
        securityCount: counts.security,
        modified: now,
      })
      .where(eq(images.id, image.id));
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
 * rows still refer to it.
 */
export async function deleteImage(database: Database, name: string): Promise<DeleteImageResult> {
  // No image has such a name (reports refuse it), and on MariaDB 'img ' would select image 'img'.
  if (!isStorableText(name)) return { status: 'missing' };
  return runReport(database, `image:${name}`, async (tx) => {
    const { images, kubernetesImages } = database.tables;
    const [row] = await database.dialect.selectRaw<{ id: number }>(
      tx,
      `SELECT id FROM images WHERE name = ?${database.dialect.forUpdateClause}`,
      [name],
    );
    if (!row) return { status: 'missing' };
    const image = { id: Number(row.id) };
    const [usage] = await tx
      .select({ n: count() })
      .from(kubernetesImages)
      .where(eq(kubernetesImages.imageId, image.id));
    const deployments = Number(usage?.n ?? 0);
    if (deployments > 0) return { status: 'in-use', deployments };
    await subtractOwnerRows(tx, database, 'image', [image.id]);
    await tx.delete(images).where(eq(images.id, image.id));
    return { status: 'deleted' };
  });
}
