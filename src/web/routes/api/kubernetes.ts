/** `POST /kubernetes/update` (spec §3.4.6): replaces what one cluster runs. */
import { Hono } from 'hono';
import { isStorableText } from '../../../protocol/report.ts';
import { applyKubernetesReport } from '../../../store/kubernetes-reports.ts';
import { requireKubernetesCertificate } from '../../access/rules.tsx';
import { methodNotAllowed, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';
import { readJsonObject } from '../../read-json-body.ts';

const MAX_CLUSTER_LENGTH = 255;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const kubernetesApiRoutes = new Hono<AppEnv>().all(
  '/kubernetes/update',
  requireKubernetesCertificate,
  async (c) => {
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const body = await readJsonObject(c.req.raw, c.var.config.MAX_REPORT_BYTES);
    if (!body.ok) return plainText(c, body.status, body.message);
    const { cluster, images = {} } = body.value;
    if (typeof cluster !== 'string' || cluster === '') {
      return plainText(c, 400, 'The payload lacks the required "cluster" key (a non-empty string)');
    }
    if (cluster.length > MAX_CLUSTER_LENGTH) {
      return plainText(c, 400, `The "cluster" name is longer than ${MAX_CLUSTER_LENGTH} characters`);
    }
    if (!isStorableText(cluster)) {
      // On MariaDB 'c1 ' would select, and replace, the rows of cluster 'c1'.
      return plainText(
        c,
        400,
        'The "cluster" name must not end with a space or hold an unpaired surrogate escape',
      );
    }
    const prefix = `Unable to update Kubernetes images for cluster ${cluster}`;
    if (!isObject(images)) return plainText(c, 400, `${prefix}: "images" is not a dictionary`);
    for (const [image, namespaces] of Object.entries(images)) {
      if (!isObject(namespaces)) {
        return plainText(c, 400, `${prefix}: the namespaces of image '${image}' are not a dictionary`);
      }
    }
    try {
      const outcome = await applyKubernetesReport(
        c.var.database,
        cluster,
        images as Record<string, Record<string, unknown>>,
      );
      const success = outcome.missing.length === 0 && outcome.errors.length === 0;
      c.var.log.info(
        `kubernetes cluster ${cluster} report: images=${Object.keys(images).length} missing=${outcome.missing.length} errors=${outcome.errors.length}`,
      );
      return c.json({ missing: outcome.missing, errors: outcome.errors, success }, success ? 201 : 202);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      c.var.log.error(`${prefix}: ${error instanceof Error ? (error.stack ?? message) : message}`);
      return plainText(c, 500, `${prefix}: ${message}`);
    }
  },
);
