/**
 * Fail-closed check that every handler a request reaches was registered after an access rule
 * (rules.tsx). The same check, run over `app.routes`, is what the route-walk test asserts.
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { RouterRoute } from 'hono/types';
import { plainText } from '../api-responses.ts';
import type { AppEnv } from '../env.ts';
import { describeRule } from './rules.tsx';

/** `app.use(middleware)` without a path: the app-wide pipeline, which runs before any rule. */
function isAppWide(route: RouterRoute): boolean {
  return route.path === '/*' && route.method === 'ALL';
}

/**
 * The handlers in `routes` (in registration or match order) that no access rule with the same
 * method and path comes before.
 */
export function findUnruledRoutes(routes: readonly RouterRoute[]): RouterRoute[] {
  const ruled = new Set<string>();
  const unruled: RouterRoute[] = [];
  for (const route of routes) {
    if (isAppWide(route)) continue;
    const key = `${route.method} ${route.path}`;
    if (describeRule(route.handler)) ruled.add(key);
    else if (!ruled.has(key)) unruled.push(route);
  }
  return unruled;
}

/** Refuses (403) a request that would reach a handler no rule judged, and logs the programming error. */
export function refuseUnruledRoutes(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const unruled = findUnruledRoutes(matchedRoutes(c));
    if (unruled.length > 0) {
      const routes = unruled.map((route) => `${route.method} ${route.path}`).join(', ');
      c.var.log.error(`${c.req.method} ${c.req.path}: refused, no access rule for route ${routes}`);
      return plainText(c, 403, 'Forbidden: this route declares no access rule');
    }
    await next();
  };
}
