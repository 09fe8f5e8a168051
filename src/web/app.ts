/**
 * Builds the Hono application. Middleware order follows spec/server.md §3.2: security headers and
 * session loading, then the client-certificate check, then the login requirement, then routes
 * (where the method check and the view run).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './env.ts';
import { createAllowedHosts } from './middleware/allowed-hosts.ts';
import { createSecurityHeaders } from './middleware/security-headers.ts';
import { healthRoutes } from './routes/health.ts';
import { handleUnmatched, pageRoutes, renderServerError } from './routes/pages/index.ts';

/** Creates the app for one database and configuration; no global state, so tests make many. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('config', deps.config);
    c.set('database', deps.database);
    c.set('log', deps.log);
    await next();
  });
  // 1. Security headers and CSP (web), and the Host-header check.
  app.use(createSecurityHeaders());
  app.use(createAllowedHosts(deps.config.ALLOWED_HOSTS));
  // 2. Session loading: sets c.var.user and c.var.csrfToken (auth).
  // 3. Client-certificate check, spec §4.1: sets c.var.host or answers 403 (agent API).
  // 4. Login requirement, spec §3.2 step 2: 302 to /login/ unless c.var.user or c.var.host (auth).
  // 5. Routes.
  app.route('/', healthRoutes);
  // HTML pages, /static and /export (GET and HEAD only).
  app.route('/', pageRoutes);
  // Section roots without their slash (301), wrong methods (405 with Allow), 404 page.
  app.notFound(handleUnmatched);

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return renderServerError(c);
    return c.text('Internal server error', 500);
  });
  return app;
}
