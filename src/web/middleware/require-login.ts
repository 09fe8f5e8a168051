/**
 * Pipeline step 4 (spec §3.2): when REQUIRE_LOGIN is on, a request with neither a signed-in user
 * nor a passed client-certificate check is sent to the sign-in page, except for the few paths
 * that must stay open.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { loginUrlFor } from '../auth/safe-next.ts';
import type { AppEnv } from '../env.ts';

/** Static assets, the health check, the agent download, and sign-in itself. */
const OPEN_PATHS = /^\/(static\/.*|healthz|client(\/.*)?|login\/|logout\/)$/;

/** True for paths that need no sign-in even when REQUIRE_LOGIN is on. */
export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.test(path);
}

/** Creates the login-requirement middleware. */
export function requireLogin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.var.config.REQUIRE_LOGIN || c.var.user || c.var.host || isOpenPath(c.req.path)) {
      await next();
      return;
    }
    return redirectToLogin(c);
  };
}

/**
 * Sends the browser to the sign-in page, which brings it back here afterwards. An htmx request
 * gets 401 with HX-Redirect instead (htmx would otherwise swap the sign-in page into a fragment),
 * pointing back to the page the browser shows rather than to the fragment's URL.
 */
export function redirectToLogin(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url);
  if (c.req.header('HX-Request') === 'true') {
    const current = parseUrl(c.req.header('HX-Current-URL')) ?? url;
    c.header('HX-Redirect', loginUrlFor(current.pathname + current.search));
    return c.body(null, 401);
  }
  return c.redirect(loginUrlFor(url.pathname + url.search), 302);
}

function parseUrl(text: string | undefined): URL | null {
  if (!text) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
