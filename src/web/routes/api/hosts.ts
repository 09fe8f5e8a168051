/**
 * `POST /hosts/<name>/update` and `DELETE /hosts/<name>` (docs/protocol.md, "Host reports" and
 * "Host deletion").
 */
import { type Context, Hono } from 'hono';
import { parseHostReport } from '../../../protocol/parse-host-report.ts';
import { applyHostReport, deleteHost } from '../../../store/ingest/host-reports.ts';
import { describeUncheckedSender } from '../../access/certificate.ts';
import { requireHostCertificate, requireOwnerForApi } from '../../access/rules.tsx';
import { emptyText, methodNotAllowed, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';
import { countReports } from '../../metrics/ingest-metrics.ts';
import { readReportBody } from '../../read-json-body.ts';
import { deletedBy } from './deleted-by.ts';
import { applyReport, logReport, refuseTooManyPackages } from './report-errors.ts';

/** Methods of a host detail URL; GET and HEAD are the HTML page, answered by a later route. */
const DETAIL_ALLOW = 'GET, DELETE, HEAD, OPTIONS';

/** The host a URL names: the router's decoded parameter, which the rule and the handler both read. */
function hostName(c: Context<AppEnv>): string {
  return c.req.param('name') ?? '';
}

export const hostApiRoutes = new Hono<AppEnv>()
  .all('/hosts/:name/update', requireHostCertificate(hostName), countReports('host'), async (c) => {
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const startedAt = performance.now();
    const name = c.req.param('name');
    const body = await readReportBody(c);
    if (typeof body.update_type === 'string') c.set('reportType', body.update_type);
    const hostname = body.hostname;
    if (hostname !== name) {
      const shown = typeof hostname === 'string' ? hostname : '';
      return plainText(c, 400, `URL host '${name}' and POST payload hostname '${shown}' do not match`);
    }
    const prefix = `Unable to update host '${name}'`;
    const tooMany = refuseTooManyPackages(c, prefix, body);
    if (tooMany) return tooMany;
    const parsed = parseHostReport(body);
    if (!parsed.success) return plainText(c, 400, `${prefix}: ${parsed.message}`);
    const outcome = await applyReport(c, prefix, () =>
      applyHostReport(c.var.store, parsed.output, { maxPackages: c.var.config.MAX_REPORT_PACKAGES }),
    );
    logReport(c, `host ${name}`, parsed.output.update_type, outcome, startedAt);
    return emptyText(c, 201);
  })
  .all('/hosts/:name', requireOwnerForApi('host', hostName), async (c, next) => {
    switch (c.req.method) {
      case 'GET':
      case 'HEAD':
        return next();
      case 'OPTIONS':
        return emptyText(c, 200, { Allow: DETAIL_ALLOW });
      case 'DELETE': {
        const name = c.req.param('name');
        if (await deleteHost(c.var.store, name, { by: deletedBy(c) })) {
          c.var.log.info(`host ${name} deleted${describeUncheckedSender(c)}`);
          return emptyText(c, 204);
        }
        return plainText(c, 404, `Host '${name}' not found`);
      }
      default:
        return methodNotAllowed(c, DETAIL_ALLOW);
    }
  });
