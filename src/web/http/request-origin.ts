/**
 * What a request says about where it came from, believing proxy headers (X-Forwarded-*) only from
 * the addresses in TRUSTED_PROXIES.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

/** Strips the IPv4-mapped IPv6 prefix, so `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
}

/** True when `address` is one of the configured trusted proxies. */
export function isTrustedProxy(trustedProxies: readonly string[], address: string): boolean {
  if (!address) return false;
  const peer = normalizeAddress(address);
  return trustedProxies.some((proxy) => normalizeAddress(proxy) === peer);
}

/** The peer address of the connection; '' when the front end did not tell. */
export function peerAddress(c: Context<AppEnv>): string {
  return c.env?.remoteAddress ?? '';
}

function fromTrustedProxy(c: Context<AppEnv>): boolean {
  return isTrustedProxy(c.var.config.TRUSTED_PROXIES, peerAddress(c));
}

/** Turns a WSGI-style name (`HTTP_X_FORWARDED_PROTO`) into an HTTP header name (`X-Forwarded-Proto`). */
export function headerNameFromWsgi(name: string): string {
  return name
    .replace(/^HTTP_/i, '')
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join('-');
}

/**
 * The last value of a comma-separated proxy header: the one our own proxy wrote. Values further
 * left come from the client when a proxy appends instead of overwriting.
 */
function lastValue(header: string | undefined): string {
  return header?.split(',').at(-1)?.trim() ?? '';
}

/**
 * True when the browser reached us over HTTPS: the request URL says so, or a trusted proxy says so
 * in the SECURE_PROXY_SSL_HEADER header (upstream: HTTP_X_FORWARDED_PROTO = https).
 */
export function isSecureRequest(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!fromTrustedProxy(c)) return false;
  const value = c.req.header(headerNameFromWsgi(c.var.config.SECURE_PROXY_SSL_HEADER));
  return lastValue(value).toLowerCase() === 'https';
}

/**
 * The origin the browser sees (`https://debmonitor.example.org`): behind a trusted proxy, from its
 * X-Forwarded-Host and the HTTPS detection; otherwise from the request URL.
 */
export function publicOrigin(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  const forwardedHost = fromTrustedProxy(c) ? lastValue(c.req.header('X-Forwarded-Host')) : '';
  const host = forwardedHost && /^[A-Za-z0-9.\-:[\]]+$/.test(forwardedHost) ? forwardedHost : url.host;
  return `${isSecureRequest(c) ? 'https' : 'http'}://${host}`;
}

/**
 * The address of the client: the peer, or behind trusted proxies the right-most X-Forwarded-For
 * entry that is not itself a trusted proxy (entries further left are client-controlled).
 */
export function clientAddress(c: Context<AppEnv>): string {
  const peer = peerAddress(c);
  if (!fromTrustedProxy(c)) return peer;
  const hops = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = hops[index] as string;
    if (!isTrustedProxy(c.var.config.TRUSTED_PROXIES, hop)) return hop;
  }
  return hops[0] ?? peer;
}
