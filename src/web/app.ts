/**
 * Builds the Hono application. Middleware order follows spec/server.md §3.2: security headers and
 * session loading, then the client-certificate check, then the login requirement, then routes
 * (where the method check and the view run).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './env.ts';
import { createAllowedHosts } from './middleware/allowed-hosts.ts';
import { appendSlash } from './middleware/append-slash.ts';
import { clientCertificateCheck } from './middleware/client-cert.ts';
import { requireLogin } from './middleware/require-login.ts';
import { createSecurityHeaders } from './middleware/security-headers.ts';
import { loadSession } from './middleware/session.ts';
import { userAdminRoutes } from './routes/admin/users.tsx';
import { agentPageRoutes } from './routes/agent-page.tsx';
import { apiRoutes } from './routes/api/api-routes.ts';
import { createAuthRoutes } from './routes/auth/index.ts';
import { clientRoutes } from './routes/client.ts';
import { healthRoutes } from './routes/health.ts';
import { handleUnmatched, pageRoutes, renderServerError } from './routes/pages/index.ts';

/** Creates the app for one database and configuration; no global state, so tests make many. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('config', deps.config);
    c.set('database', deps.database);
    c.set('log', deps.log);
    c.set('exportPageRows', deps.exportPageRows);
    await next();
  });
  // 0. Upstream's APPEND_SLASH: `/hosts` → 301 `/hosts/` when only the latter is a route.
  app.use(
    appendSlash((path) => app.routes.some((r) => r.path === path && ['GET', 'ALL'].includes(r.method))),
  );
  // 1. Security headers and CSP (web), and the Host-header check (ALLOWED_HOSTS).
  app.use(createSecurityHeaders());
  app.use(createAllowedHosts(deps.config.ALLOWED_HOSTS));
  // 2. Session loading: sets c.var.user and c.var.csrfToken (auth).
  app.use(loadSession());
  // 3. Client-certificate check, spec §4.1: sets c.var.host or answers 403 (agent API).
  app.use(clientCertificateCheck(deps.config));
  // 4. Login requirement, spec §3.2 step 2: 302 to /login/ unless c.var.user or c.var.host (auth).
  app.use(requireLogin());
  // 5. Routes. The agent API comes first: some of its paths fall through (next()) to HTML pages.
  app.route('/', healthRoutes);
  // Agent downloads: /client is exempt from sign-in (require-login) and from the certificate check.
  app.route('/', clientRoutes);
  app.route('/', agentPageRoutes);
  app.route('/', apiRoutes);
  app.route('/', createAuthRoutes(deps.config));
  app.route('/', userAdminRoutes);
  // HTML pages, /static and /export (GET and HEAD only).
  app.route('/', pageRoutes);
  // Section roots without their slash (301), wrong methods (405 with Allow), the 404 page.
  app.notFound(handleUnmatched);

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return renderServerError(c);
    return c.text('Internal server error', 500);
  });
  return app;
}
