/** @jsxImportSource hono/jsx */
/**
 * What happens when no route answered, read off the app's own routes (no second route table): a
 * path without its trailing slash whose slashed form is a page is redirected (301), a path that
 * routes for other methods gets 405 with `Allow`, anything else is the "Page not found!" page.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { renderPage } from '../../render.tsx';
import { NotFoundPage, ServerErrorPage } from '../../views/pages/errors.tsx';

/** The methods a route can be registered for, in the order `Allow` lists them. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods some route of `app` answers for `path` (app-wide middleware aside), '' for none.
 * Hono answers HEAD with the GET route, so GET brings HEAD; routes that refuse HEAD (search) are
 * `all` routes that answer every method themselves and never get here.
 */
export function findAllowedMethods(app: Hono<AppEnv>, path: string): string {
  const allowed = METHODS.filter((method) => {
    const [matches] = app.router.match(method, path);
    return matches.some(([[, route]]) => route.path !== '/*');
  });
  return allowed.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])).join(', ');
}

/** True when `path` is exactly the path of a page (GET) route, as `/hosts/` is. */
function isPagePath(app: Hono<AppEnv>, path: string): boolean {
  return app.routes.some(
    (route) => route.path === path && (route.method === 'GET' || route.method === 'ALL'),
  );
}

/** Renders the 404 page. */
export function renderNotFound(c: Context<AppEnv>) {
  return renderPage(c, { title: '' }, <NotFoundPage />, 404);
}

/** Renders the 500 page. */
export function renderServerError(c: Context<AppEnv>) {
  return renderPage(c, { title: '' }, <ServerErrorPage />, 500);
}

/** Creates the app's notFound handler (after the pages' access rule has passed the request). */
export function createUnmatchedHandler(app: Hono<AppEnv>) {
  return (c: Context<AppEnv>) => {
    const path = c.req.path;
    if (!path.endsWith('/') && isPagePath(app, `${path}/`)) {
      // Upstream's APPEND_SLASH: `/hosts` is `/hosts/`.
      return c.redirect(`${path}/${new URL(c.req.url).search}`, 301);
    }
    const allow = findAllowedMethods(app, path);
    // A handler that found nothing also ends here (c.notFound()): its own method is allowed.
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (allow && !allow.split(', ').includes(method)) return c.body(null, 405, { Allow: allow });
    return renderNotFound(c);
  };
}
