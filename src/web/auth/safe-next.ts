/**
 * The `next` parameter of the sign-in page: where to go after signing in. It only ever points inside
 * this site; anything else becomes `/`.
 */

const BASE = 'http://debmonitor.invalid';
/** Pages that make no sense as a destination after signing in. */
const SIGN_IN_PATHS = new Set(['/login/', '/logout/']);

/**
 * Returns `raw` when it is a path on this site (normalised and percent-encoded, so it is safe in a
 * Location header), otherwise `/`. Refuses scheme-relative (`//evil`), absolute (`https://…`),
 * backslash (`/\evil`, which browsers read as `//`) and control-character tricks. Idempotent.
 */
export function sanitizeNext(raw: string | null | undefined): string {
  if (!raw || raw.length > 2048 || !raw.startsWith('/') || raw.startsWith('//')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = url.pathname + url.search + url.hash;
  if (SIGN_IN_PATHS.has(url.pathname) || path.startsWith('//')) return '/';
  return path;
}

/** Percent-encodes a query value like Django's `urlencode(safe='/')`: `/search?q=abc` → `/search%3Fq%3Dabc`. */
export function encodeNextValue(next: string): string {
  return encodeURIComponent(next).replace(/%2F/g, '/');
}

/** Percent-encodes every reserved character (RFC 3986), as Python's `urlencode` does for CAS service URLs. */
export function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The sign-in URL that comes back to `pathAndQuery`: `/login/?next=…`. */
export function loginUrlFor(pathAndQuery: string): string {
  return `/login/?next=${encodeNextValue(sanitizeNext(pathAndQuery))}`;
}
