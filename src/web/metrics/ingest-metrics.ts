/**
 * Counters and a latency histogram of the reports this process answered (docs/reboot.md,
 * "Metrics"), by owner kind, update type and result. Labels come from fixed sets: any other update
 * type counts as `other`, so a client cannot create series.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { CounterSet, HistogramSet } from '../../lib/prometheus-text.ts';
import { UPDATE_TYPES } from '../../protocol/report.ts';
import type { AppEnv } from '../env.ts';

export interface IngestMetrics {
  reports: CounterSet;
  seconds: HistogramSet;
}

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createIngestMetrics(): IngestMetrics {
  return { reports: new CounterSet(), seconds: new HistogramSet(BOUNDS) };
}

function resultOf(status: number): string {
  return status < 300 ? 'ok' : status < 500 ? 'rejected' : 'failed';
}

/**
 * Placed after a report route's access rule: times the POST and counts it once answered. The
 * handler names the update type with `c.set('reportType', …)` once it has read the body.
 */
export function countReports(
  owner: 'host' | 'image' | 'kubernetes',
  isReport: (c: Context<AppEnv>) => boolean = () => true,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !isReport(c)) return next();
    const started = performance.now();
    await next();
    const type = c.var.reportType;
    const updateType =
      owner === 'kubernetes'
        ? 'kubernetes'
        : (UPDATE_TYPES as readonly string[]).includes(type ?? '')
          ? type!
          : 'other';
    const { metrics } = c.var;
    metrics.reports.add({ owner, update_type: updateType, result: resultOf(c.res.status) });
    metrics.seconds.observe({ owner, update_type: updateType }, (performance.now() - started) / 1000);
  };
}
