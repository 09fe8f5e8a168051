/**
 * Builds the Hono application: app-wide middleware (security headers, Host check, session), then
 * the routes, each of which declares its access rule as its first middleware (access/rules.tsx;
 * docs/architecture.md). A request whose handler has no rule is refused (access/guard.ts).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createCertificatePolicy } from './access/certificate.ts';
import { refuseUnruledRoutes } from './access/guard.ts';
import { checkUnmatched } from './access/rules.tsx';
import { createDirectoryRecheck } from './auth/directory-recheck.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { createExpectedHosts } from './fleet/expected-hosts.ts';
import { createIngestMetrics } from './metrics/ingest-metrics.ts';
import { createFleetMetricsCache, renderFleetMetrics } from './metrics/render-metrics.ts';
import { createAllowedHosts } from './middleware/allowed-hosts.ts';
import { createSecurityHeaders } from './middleware/security-headers.ts';
import { loadSession } from './middleware/session.ts';
import { createAuthorityLoader } from './pki/authority-loader.ts';
import { userAdminRoutes } from './routes/admin/users.tsx';
import { agentPageRoutes } from './routes/agent-page.tsx';
import { apiRoutes } from './routes/api/api-routes.ts';
import { createAuthRoutes, createSignInMethods } from './routes/auth/index.ts';
import { clientRoutes } from './routes/client.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { createUnmatchedHandler, pageRoutes, renderServerError } from './routes/pages/index.ts';

/** Creates the app for one database and configuration; no global state, so tests make many. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const certificatePolicy = createCertificatePolicy(deps.config);
  const signIn = createSignInMethods(deps.config);
  const authority = createAuthorityLoader(deps.config.pkiDir);
  const expectedHosts = createExpectedHosts(deps.config.EXPECTED_HOSTS_FILE);
  const metrics = createIngestMetrics();
  const fleetMetrics = createFleetMetricsCache(() =>
    renderFleetMetrics(deps.store, deps.config, expectedHosts),
  );
  app.use(async (c, next) => {
    c.set('certificatePolicy', certificatePolicy);
    c.set('authority', authority);
    c.set('expectedHosts', expectedHosts);
    c.set('metrics', metrics);
    c.set('fleetMetrics', fleetMetrics);
    c.set('config', deps.config);
    c.set('store', deps.store);
    c.set('database', deps.store.database);
    c.set('log', deps.log);
    c.set('agentTlsPort', deps.agentTlsPort);
    c.set('exportPageRows', deps.exportPageRows);
    await next();
  });
  // 1. Security headers and CSP (web), and the Host-header check (ALLOWED_HOSTS).
  app.use(createSecurityHeaders());
  app.use(createAllowedHosts(deps.config.ALLOWED_HOSTS));
  // 2. Session loading: sets c.var.user and c.var.csrfToken (auth).
  app.use(loadSession(signIn.ldap ? createDirectoryRecheck(signIn.ldap) : undefined));
  // 3. Fail closed: no handler runs unless its route declared an access rule before it.
  app.use(refuseUnruledRoutes());
  // 4. Routes, each with its access rule. The agent API comes first: some of its paths fall
  //    through (next()) to HTML pages, which apply their own rule again.
  app.route('/', healthRoutes);
  app.route('/', metricsRoutes);
  app.route('/', clientRoutes);
  app.route('/', agentPageRoutes);
  app.route('/', apiRoutes);
  app.route('/', createAuthRoutes(signIn));
  app.route('/', userAdminRoutes);
  // HTML pages, /static and /export (GET and HEAD only).
  app.route('/', pageRoutes);
  // Pages without their slash (301), wrong methods (405 with Allow), the 404 page, all read off
  // the routes above. The pages' rule judges first, so a 404 or 405 tells nobody more.
  const answerUnmatched = createUnmatchedHandler(app);
  app.notFound(async (c) => (await checkUnmatched(c)) ?? answerUnmatched(c));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log.error(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return renderServerError(c);
    return c.text('Internal server error', 500);
  });
  return app;
}
