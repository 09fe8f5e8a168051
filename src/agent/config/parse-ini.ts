/**
 * An INI reader with the rules of Python's `configparser` in its default settings, because
 * `/etc/debmonitor.conf` files were written for it: full-line `#`/`;` comments only, `key=value` or
 * `key: value`, lower-cased keys, indented continuation lines, no interpolation, and errors for a missing
 * section header or a key repeated inside one section.
 */

/** The sections of an INI file, each a map of lower-cased key to value. */
export type IniSections = Map<string, Map<string, string>>;

/** An INI syntax error, with the line it was found on. */
export class IniSyntaxError extends Error {
  override readonly name = 'IniSyntaxError';
}

const SECTION_HEADER = /^\[(.+)\]/;
const OPTION_LINE = /^(.*?)\s*[=:]\s*(.*)$/;

/** Parses INI text into sections; throws IniSyntaxError where configparser would raise. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let section: Map<string, string> | undefined;
  let sectionName = '';
  let lastKey: string | undefined;
  let pendingBlankLines = 0;
  const lines = text.split(/\r?\n/);

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (trimmed === '') {
      // configparser keeps blank lines inside a value when an indented line continues it later.
      if (lastKey !== undefined) pendingBlankLines++;
      continue;
    }
    const indented = /^\s/.test(line);
    if (indented && section && lastKey !== undefined) {
      const joined = `${section.get(lastKey)}${'\n'.repeat(pendingBlankLines + 1)}${trimmed}`;
      section.set(lastKey, joined);
      pendingBlankLines = 0;
      continue;
    }
    pendingBlankLines = 0;
    const header = SECTION_HEADER.exec(trimmed);
    if (header) {
      sectionName = header[1]!;
      if (sections.has(sectionName)) {
        throw new IniSyntaxError(`section '${sectionName}' is repeated (line ${lineNumber})`);
      }
      section = new Map();
      sections.set(sectionName, section);
      lastKey = undefined;
      continue;
    }
    if (!section) {
      throw new IniSyntaxError(`File contains no section headers (line ${lineNumber}: '${trimmed}')`);
    }
    const option = OPTION_LINE.exec(trimmed);
    const key = option?.[1]?.trimEnd().toLowerCase();
    if (!option || !key) {
      throw new IniSyntaxError(
        `line ${lineNumber} is neither a section, a comment nor key=value: '${trimmed}'`,
      );
    }
    if (section.has(key)) {
      throw new IniSyntaxError(
        `option '${key}' in section '${sectionName}' is repeated (line ${lineNumber})`,
      );
    }
    section.set(key, option[2]!.trim());
    lastKey = key;
  }
  return sections;
}
