/**
 * Host names a certificate may carry, and the shell-style patterns of enrollment tokens that choose
 * among them (docs/protocol.md, "Enrollment").
 */

/** Longest DNS name. */
const MAX_NAME_LENGTH = 253;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * True for a DNS host name: dot-separated labels of letters, digits and inner hyphens. Nothing else
 * may become a certificate's CN: a comma or an equals sign would change how its subject DN reads.
 */
export function isHostName(name: string): boolean {
  return (
    name.length > 0 && name.length <= MAX_NAME_LENGTH && name.split('.').every((label) => LABEL.test(label))
  );
}

/** Why a token pattern is not usable, or null: host-name characters plus `*` and `?`. */
export function explainHostPatternProblem(pattern: string): string | null {
  if (pattern.length === 0 || pattern.length > MAX_NAME_LENGTH) return 'must be 1 to 253 characters';
  if (!/^[A-Za-z0-9.*?-]+$/.test(pattern)) return 'may hold letters, digits, ".", "-", "*" and "?" only';
  return null;
}

/**
 * Whether `name` matches `pattern`, case-insensitively: `*` stands for any characters (dots too, so
 * `*.example.org` takes `a.b.example.org`), `?` for one; everything else for itself.
 */
export function matchesHostPattern(pattern: string, name: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.\\-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(name);
}
