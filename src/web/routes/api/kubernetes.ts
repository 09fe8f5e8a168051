/** `POST /kubernetes/update`: replaces what one cluster runs (docs/protocol.md, "Kubernetes reports"). */
import { Hono } from 'hono';
import * as v from 'valibot';
import { describeKubernetesIssue, KubernetesReportSchema } from '../../../protocol/kubernetes-report.ts';
import { applyKubernetesReport } from '../../../store/ingest/kubernetes-reports.ts';
import { describeUncheckedSender } from '../../access/certificate.ts';
import { requireKubernetesCertificate } from '../../access/rules.tsx';
import { methodNotAllowed, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';
import { countReports } from '../../metrics/ingest-metrics.ts';
import { readReportBody } from '../../read-json-body.ts';
import { applyReport } from './report-errors.ts';

export const kubernetesApiRoutes = new Hono<AppEnv>().all(
  '/kubernetes/update',
  requireKubernetesCertificate,
  countReports('kubernetes'),
  async (c) => {
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const body = await readReportBody(c);
    const parsed = v.safeParse(KubernetesReportSchema, body);
    if (!parsed.success) {
      return plainText(c, 400, describeKubernetesIssue(body, parsed.issues[0] as v.BaseIssue<unknown>));
    }
    const { cluster, images } = parsed.output;
    const prefix = `Unable to update Kubernetes images for cluster ${cluster}`;
    const outcome = await applyReport(c, prefix, () => applyKubernetesReport(c.var.store, cluster, images));
    const success = outcome.missing.length === 0 && outcome.errors.length === 0;
    c.var.log.info(
      `kubernetes cluster ${cluster} report: images=${Object.keys(images).length} missing=${outcome.missing.length} errors=${outcome.errors.length}${describeUncheckedSender(c)}`,
    );
    return c.json({ missing: outcome.missing, errors: outcome.errors, success }, success ? 201 : 202);
  },
);
