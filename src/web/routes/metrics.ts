/** `GET /metrics`: Prometheus text (docs/reboot.md, "Metrics"), behind its bearer token. */
import { Hono } from 'hono';
import { requireMetricsToken } from '../access/rules.tsx';
import type { AppEnv } from '../env.ts';
import { renderProcessMetrics } from '../metrics/render-metrics.ts';

export const metricsRoutes = new Hono<AppEnv>().get('/metrics', requireMetricsToken, async (c) => {
  const text = (await c.var.fleetMetrics()) + renderProcessMetrics(c.var.metrics, c.var.database);
  return c.body(text, 200, {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    'Cache-Control': 'no-store',
  });
});
