/** @jsxImportSource hono/jsx */
/**
 * What happens when no route answered (spec §3.1): a section root without its trailing slash is
 * redirected (301), a known path with the wrong method gets 405 with `Allow`, OPTIONS on a host or
 * image detail URL gets 200 with `Allow`, and anything else is the "Page not found!" page.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { renderPage } from '../../render.tsx';
import { NotFoundPage, ServerErrorPage } from '../../views/pages/errors.tsx';

const SECTION_ROOTS = new Set([
  '/hosts/',
  '/kernels/',
  '/packages/',
  '/source-packages/',
  '/images/',
  '/kubernetes/',
  '/login/',
  '/logout/',
]);

const READ = 'GET, HEAD';
const DETAIL = 'GET, DELETE, HEAD, OPTIONS';

/** Which methods a path accepts; undefined for unknown paths. Order matters: the first match wins. */
const METHODS: [pattern: RegExp, allow: string][] = [
  [/^\/search$/, 'GET'],
  [/^\/hosts\/[^/]+\/update$/, 'POST'],
  [/^\/images\/.+\/update$/, 'POST'],
  [/^\/kubernetes\/update$/, 'POST'],
  [/^\/hosts\/[^/]+$/, DETAIL],
  [/^\/images\/.+$/, DETAIL],
  [/^\/$/, READ],
  [/^\/(hosts|kernels|packages|source-packages|images|kubernetes)\/$/, READ],
  [/^\/kernels\/(\d+_[-a-zA-Z0-9_]+|id\/\d+)$/, READ],
  [/^\/(packages|source-packages)\/[^/]+$/, READ],
  [/^\/export\/[a-z-]+\.(csv|json)$/, READ],
  [/^\/static\/[^/]+$/, READ],
];

/** The methods `path` accepts, or undefined when no route knows it. */
export function findAllowedMethods(path: string): string | undefined {
  return METHODS.find(([pattern]) => pattern.test(path))?.[1];
}

/** Renders the 404 page. */
export function renderNotFound(c: Context<AppEnv>) {
  return renderPage(c, { title: '' }, <NotFoundPage />, 404);
}

/** Renders the 500 page. */
export function renderServerError(c: Context<AppEnv>) {
  return renderPage(c, { title: '' }, <ServerErrorPage />, 500);
}

/** The app's notFound handler. */
export function handleUnmatched(c: Context<AppEnv>) {
  const path = c.req.path;
  const method = c.req.method;
  if (!path.endsWith('/') && SECTION_ROOTS.has(`${path}/`)) {
    const url = new URL(c.req.url);
    return c.redirect(`${path}/${url.search}`, 301);
  }
  const allow = findAllowedMethods(path);
  if (allow) {
    const allowed = allow.split(', ');
    if (method === 'OPTIONS' && allowed.includes('OPTIONS')) {
      return c.body(null, 200, { Allow: allow });
    }
    if (!allowed.includes(method)) return c.body(null, 405, { Allow: allow });
  }
  return renderNotFound(c);
}
