/** `GET /healthz`: 200 when the database answers, 503 otherwise; for load balancers and monitoring. */
import { Hono } from 'hono';
import { allowAnyone } from '../access/rules.tsx';
import type { AppEnv } from '../env.ts';

export const healthRoutes = new Hono<AppEnv>().get('/healthz', allowAnyone, async (c) => {
  try {
    await c.var.database.ping();
    return c.text('OK');
  } catch (error) {
    c.var.log.error(`healthz: database unreachable: ${(error as Error).message}`);
    return c.text('Database unreachable', 503);
  }
});
