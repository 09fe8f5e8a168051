/** Where a request that needs a signed-in user goes without one. */
import type { Context } from 'hono';
import { loginUrlFor } from '../auth/safe-next.ts';
import type { AppEnv } from '../env.ts';

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
