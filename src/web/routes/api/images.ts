/**
 * The image API under `/images/<name…>` (docs/protocol.md, "Image reports" and "Image lookup and
 * deletion"): one route, because image names contain slashes and `/images/<X>/update` must always mean
 * the update endpoint. A GET or HEAD that is not asking for JSON falls through to the HTML page
 * registered after this route.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { describeIssues, ImageReportSchema } from '../../../protocol/report.ts';
import { applyImageReport, deleteImage, findImageSummary } from '../../../store/ingest/image-reports.ts';
import { describeUncheckedSender } from '../../access/certificate.ts';
import { chooseRule, requireImageCertificate, requireOwnerForApi } from '../../access/rules.tsx';
import { emptyText, methodNotAllowed, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';
import { countReports } from '../../metrics/ingest-metrics.ts';
import { readReportBody } from '../../read-json-body.ts';
import { deletedBy } from './deleted-by.ts';
import { applyReport, logReport, refuseTooManyPackages } from './report-errors.ts';

const DETAIL_ALLOW = 'GET, DELETE, HEAD, OPTIONS';
const UPDATE_SUFFIX = '/update';

/**
 * What an image URL names, from the router's decoded parameter: the rule and the handler both read
 * this, so they cannot disagree on the image or on whether it is the update endpoint.
 */
function readImageTarget(c: Context<AppEnv>): { update: boolean; name: string } {
  const path = c.req.param('name') ?? '';
  if (path.endsWith(UPDATE_SUFFIX) && path.length > UPDATE_SUFFIX.length) {
    return { update: true, name: path.slice(0, -UPDATE_SUFFIX.length) };
  }
  return { update: false, name: path };
}

const imageName = (c: Context<AppEnv>) => readImageTarget(c).name;
const updateRule = requireImageCertificate(imageName);
const detailRule = requireOwnerForApi('image', imageName);
const requireImageAccess = chooseRule('image', (c) => (readImageTarget(c).update ? updateRule : detailRule));

export const imageApiRoutes = new Hono<AppEnv>().all(
  '/images/:name{.+}',
  requireImageAccess,
  countReports('image', (c) => readImageTarget(c).update),
  async (c, next) => {
    const { update, name: path } = readImageTarget(c);
    if (update) {
      if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
      return updateImage(c, path);
    }
    switch (c.req.method) {
      case 'GET':
      case 'HEAD':
        // Only this exact Accept value gets JSON (upstream); anything else is the HTML page.
        if (c.req.header('Accept') !== 'application/json') return next();
        return showImage(c, path);
      case 'OPTIONS':
        return emptyText(c, 200, { Allow: DETAIL_ALLOW });
      case 'DELETE':
        return removeImage(c, path);
      default:
        return methodNotAllowed(c, DETAIL_ALLOW);
    }
  },
);

async function updateImage(c: Context<AppEnv>, name: string): Promise<Response> {
  const startedAt = performance.now();
  const body = await readReportBody(c);
  const updateType = body.update_type;
  if (typeof updateType === 'string') c.set('reportType', updateType);
  if (typeof updateType !== 'string' || updateType === '') {
    // Upstream's wording, typo included: operators grep logs for it.
    return plainText(c, 400, 'Update type not specificed in passed parameters match');
  }
  const imageName = body.image_name;
  if (imageName !== name) {
    const shown = typeof imageName === 'string' ? imageName : '';
    return plainText(c, 400, `URL image '${name}' and POST payload image name '${shown}'do not match`);
  }
  const prefix = `Unable to update image '${name}'`;
  const tooMany = refuseTooManyPackages(c, prefix, body);
  if (tooMany) return tooMany;
  const parsed = v.safeParse(ImageReportSchema, body);
  if (!parsed.success) return plainText(c, 400, `${prefix}: ${describeIssues(parsed.issues)}`);
  const outcome = await applyReport(c, prefix, () =>
    applyImageReport(c.var.store, parsed.output, { maxPackages: c.var.config.MAX_REPORT_PACKAGES }),
  );
  logReport(c, `image ${name}`, parsed.output.update_type, outcome, startedAt);
  return emptyText(c, 201);
}

async function showImage(c: Context<AppEnv>, name: string): Promise<Response> {
  const image = await findImageSummary(c.var.database, name);
  if (!image) return plainText(c, 404, `Image '${name}' not found`);
  return c.json({
    name: image.name,
    os: image.os,
    created: image.created.toISOString(),
    modified: image.modified.toISOString(),
  });
}

async function removeImage(c: Context<AppEnv>, name: string): Promise<Response> {
  const result = await deleteImage(c.var.store, name, { by: deletedBy(c) });
  if (result.status === 'missing') return plainText(c, 404, `Image '${name}' not found`);
  if (result.status === 'in-use') {
    return plainText(
      c,
      409,
      `Image '${name}' is still running in ${result.deployments} Kubernetes namespace(s); it can be deleted once no cluster report lists it`,
    );
  }
  c.var.log.info(`image ${name} deleted${describeUncheckedSender(c)}`);
  return emptyText(c, 204);
}
