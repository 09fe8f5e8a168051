/**
 * Link building (docs/protocol.md, "URLs and names"): percent-encode a path, keeping `/ : @ ~` and the
 * RFC 3986 sub-delimiters (`! $ & ' ( ) * + , ; =`) literal, so `libstdc++6` stays readable and image
 * names keep their slashes and colons.
 */

const KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Percent-encodes every character of `text` that may not stand literally in a URL path. */
export function encodePath(text: string): string {
  let out = '';
  for (const char of text) {
    out += KEEP.test(char) ? char : encodeURIComponent(char);
  }
  return out;
}

/** Encodes one path segment: like {@link encodePath}, but `/` is encoded too. */
export function encodePathSegment(text: string): string {
  return encodePath(text).replaceAll('/', '%2F');
}
