/**
 * The Host-header check (`ALLOWED_HOSTS`): an empty list accepts any Host; otherwise the
 * host (without port) must equal an entry, or be a subdomain of an entry written `.example.com`, or
 * an entry is `*`. Anything else gets 400, as Django does.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/** Strips the port from a Host header value (`[::1]:8080` → `[::1]`, `example.com:80` → `example.com`). */
function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** True when `host` (a Host header) is allowed by `allowed`. */
export function isAllowedHost(host: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const name = stripPort(host.trim().toLowerCase()).replace(/\.$/, '');
  if (!name) return false;
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern === '*') return true;
    if (pattern.startsWith('.')) return name === pattern.slice(1) || name.endsWith(pattern);
    return name === pattern;
  });
}

/** Creates the middleware for a fixed list of allowed hosts. */
export function createAllowedHosts(allowed: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isAllowedHost(c.req.header('Host') ?? new URL(c.req.url).host, allowed)) {
      return c.text('Bad Request (400): the Host header is not in ALLOWED_HOSTS', 400);
    }
    await next();
  };
}
