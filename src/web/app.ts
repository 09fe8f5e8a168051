/** Builds the Hono application: middleware, then every route group. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './env.ts';
import { healthRoutes } from './routes/health.ts';

/** Creates the app for one database and configuration; no global state, so tests make many. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('config', deps.config);
    c.set('database', deps.database);
    c.set('log', deps.log);
    await next();
  });
  app.route('/', healthRoutes);

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.text('Internal server error', 500);
  });
  return app;
}
