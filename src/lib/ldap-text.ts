/** LDAP strings built or compared by hand: search filter values (RFC 4515) and DNs (RFC 4514). */

/**
 * Escapes a value for an LDAP search filter, so that `*`, parentheses, backslashes and NUL in what
 * someone typed match themselves instead of changing the filter (RFC 4515, section 3).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(
    /[*()\\\0]/g,
    (character) => `\\${character.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * A DN in a form fit for comparing two DNs written differently: attribute types and values lowercased
 * (directories compare names case-insensitively) and the spaces around separators dropped. Escaped
 * characters are kept as they are, so `cn=a\, b` stays one RDN.
 */
export function normalizeDn(dn: string): string {
  let out = '';
  /** Unescaped spaces seen since the last character kept: kept only inside a value. */
  let spaces = '';
  let atStart = true;
  for (let i = 0; i < dn.length; i++) {
    const character = dn[i] ?? '';
    if (character === ' ') {
      if (!atStart) spaces += character;
      continue;
    }
    if (character === ',' || character === '+' || character === '=') {
      out += character;
      atStart = true;
    } else {
      // An escape pair is one character of the value, whatever it escapes.
      const kept = character === '\\' ? dn.slice(i, i + 2) : character;
      if (character === '\\') i++;
      out += spaces + kept;
      atStart = false;
    }
    spaces = '';
  }
  return out.toLowerCase();
}
