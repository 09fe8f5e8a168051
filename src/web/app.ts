/**
 * Builds the Hono application. Middleware order follows spec/server.md §3.2: security headers and
 * session loading, then the client-certificate check, then the login requirement, then routes
 * (where the method check and the view run).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './env.ts';
import { requireLogin } from './middleware/require-login.ts';
import { loadSession } from './middleware/session.ts';
import { userAdminRoutes } from './routes/admin/users.tsx';
import { createAuthRoutes } from './routes/auth/index.ts';
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
  // 1. Security headers and CSP (web).
  // 2. Session loading: sets c.var.user and c.var.csrfToken (auth).
  app.use(loadSession());
  // 3. Client-certificate check, spec §4.1: sets c.var.host or answers 403 (agent API).
  // 4. Login requirement, spec §3.2 step 2: 302 to /login/ unless c.var.user or c.var.host (auth).
  app.use(requireLogin());
  // 5. Routes.
  app.route('/', healthRoutes);
  app.route('/', createAuthRoutes(deps.config));
  app.route('/', userAdminRoutes);

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.text('Internal server error', 500);
  });
  return app;
}
