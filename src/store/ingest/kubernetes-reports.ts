/**
 * Kubernetes cluster reports: each report replaces its cluster's rows (docs/protocol.md,
 * "Kubernetes reports").
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { batchRows } from '../../db/sql-runner.ts';
import { parseContainerCount } from '../../domain/container-count.ts';
import { isStorableText } from '../../protocol/report.ts';
import type { Store } from '../store.ts';

/** One namespace that could not be recorded. */
export interface KubernetesError {
  image: string;
  cluster: string;
  namespace: string;
  error: string;
}

export interface KubernetesOutcome {
  /** Image names that are not recorded (their rows of this cluster are dropped). */
  missing: string[];
  errors: KubernetesError[];
}

/**
 * Records which images run in `cluster` (image name → namespace → container count) and deletes
 * every other row of that cluster, in one transaction. Other clusters are untouched.
 */
export function applyKubernetesReport(
  store: Store,
  cluster: string,
  images: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  now = new Date(),
): Promise<KubernetesOutcome> {
  const { database } = store;
  return store.reports.run(`cluster:${cluster}`, async (tx) => {
    const { images: imageTable, kubernetesImages: k8s } = database.tables;
    const names = Object.keys(images);
    const ids = new Map<string, number>();
    for (const batch of batchRows(database.capabilities, names, 1)) {
      const rows = await tx.db
        .select({ id: imageTable.id, name: imageTable.name })
        .from(imageTable)
        .where(inArray(imageTable.name, batch));
      for (const row of rows) ids.set(row.name, row.id);
    }
    const existing = await tx.sql.selectSql<{ id: number; namespace: string; image_id: number }>(
      sql`SELECT ${k8s.id} AS id, ${k8s.namespace} AS namespace, ${k8s.imageId} AS image_id FROM ${k8s}
          WHERE ${k8s.cluster} = ${cluster}${database.spelling.forUpdate}`,
    );

    const outcome: KubernetesOutcome = { missing: [], errors: [] };
    const rows: {
      cluster: string;
      namespace: string;
      imageId: number;
      containers: number;
      created: Date;
      modified: Date;
    }[] = [];
    for (const [image, namespaces] of Object.entries(images)) {
      const imageId = ids.get(image);
      if (imageId === undefined) {
        outcome.missing.push(image);
        continue;
      }
      for (const [namespace, value] of Object.entries(namespaces)) {
        const parsed = parseContainerCount(value);
        if ('error' in parsed) outcome.errors.push({ image, cluster, namespace, error: parsed.error });
        else if (namespace.length > 255)
          outcome.errors.push({
            image,
            cluster,
            namespace,
            error: 'Namespace names are at most 255 characters long.',
          });
        else if (!isStorableText(namespace))
          outcome.errors.push({
            image,
            cluster,
            namespace,
            error: 'Namespace names must not end with a space or hold an unpaired surrogate escape.',
          });
        else
          rows.push({ cluster, namespace, imageId, containers: parsed.count, created: now, modified: now });
      }
    }
    for (const batch of batchRows(database.capabilities, rows, 6)) {
      await tx.upsert(k8s, batch, [k8s.cluster, k8s.namespace, k8s.imageId], [k8s.containers, k8s.modified]);
    }
    const kept = new Set(rows.map((row) => `${row.imageId}\u0000${row.namespace}`));
    const stale = existing
      .filter((row) => !kept.has(`${Number(row.image_id)}\u0000${row.namespace}`))
      .map((row) => Number(row.id));
    for (const batch of batchRows(database.capabilities, stale, 1)) {
      await tx.db.delete(k8s).where(and(eq(k8s.cluster, cluster), inArray(k8s.id, batch)));
    }
    return outcome;
  });
}
