/**
 * A deb822 (RFC-822 style) stanza reader for dpkg's status file and `apt-cache show` output. It keeps
 * only the fields asked for, skips continuation lines, and tolerates a missing final newline.
 */

/** One stanza: field name (as written) to its single-line value. */
export type Stanza = Map<string, string>;

/** Splits deb822 text into stanzas holding only `fields`; continuation lines are ignored. */
export function parseControlStanzas(text: string, fields: ReadonlySet<string>): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza = new Map();
  let inStanza = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim() === '') {
      if (inStanza) stanzas.push(current);
      current = new Map();
      inStanza = false;
      continue;
    }
    inStanza = true;
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) continue; // continuation line of a multi-line field
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    if (fields.has(field)) current.set(field, line.slice(colon + 1).trim());
  }
  if (inStanza) stanzas.push(current);
  return stanzas;
}
