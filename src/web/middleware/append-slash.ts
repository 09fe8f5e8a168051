/**
 * Upstream's APPEND_SLASH (spec §3.1): a GET or HEAD that found nothing, on a path without a
 * trailing slash, is redirected (301) to the same path with a slash when that path is a route.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/** Creates the middleware; `hasRoute` says whether a GET route exists for an exact path. */
export function appendSlash(hasRoute: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status !== 404 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return;
    const url = new URL(c.req.url);
    if (url.pathname.endsWith('/') || !hasRoute(`${url.pathname}/`)) return;
    c.res = c.redirect(`${url.pathname}/${url.search}`, 301);
  };
}
