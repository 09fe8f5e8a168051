/**
 * The `os` string of a report, `<Id> <VERSION_ID>` (docs/protocol.md, "What the agent sends"), from
 * os-release(5) with shell-style unquoting, falling back to /usr/lib/os-release as the man page says.
 */
import { readFileSync } from 'node:fs';
import { checkOsName } from '../../domain/os-name.ts';

/** The files tried in order; the first one that can be read wins. */
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'] as const;

/** What legacy sends when the OS cannot be determined (the server refuses it for a new OS). */
export const UNKNOWN_OS = 'unknown';

/** Unquotes one os-release value as a POSIX shell would: `"…"` with backslash escapes, `'…'`, bare. */
export function unquoteShellValue(raw: string): string {
  let result = '';
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else result += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && '$"\\`'.includes(raw[index + 1] ?? '')) result += raw[++index];
      else result += char;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '\\' && index + 1 < raw.length) {
      result += raw[++index];
    } else if (/\s/.test(char)) {
      break; // an unquoted blank ends the value (what follows would be another word or a comment)
    } else {
      result += char;
    }
  }
  return result;
}

/** Parses os-release text into its variables; later assignments override earlier ones. */
export function parseOsRelease(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (match) variables.set(match[1]!, unquoteShellValue(match[2]!));
  }
  return variables;
}

/** Builds the OS string: `ID` with its first letter upper-cased, a space, `VERSION_ID`; else `unknown`. */
export function formatOsName(variables: Map<string, string>): string {
  const id = variables.get('ID') ?? '';
  const versionId = variables.get('VERSION_ID') ?? '';
  if (id === '' || versionId === '') return UNKNOWN_OS;
  return `${id[0]!.toUpperCase()}${id.slice(1)} ${versionId}`;
}

/** Reads the OS string from the first readable os-release file; `unknown` when none can be read. */
export function readOsName(paths: readonly string[] = OS_RELEASE_PATHS): string {
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    return formatOsName(parseOsRelease(text));
  }
  return UNKNOWN_OS;
}

/** Explains why the server would refuse `os` as a new OS name, or returns undefined when it is fine. */
export function explainOsNameProblem(os: string): string | undefined {
  const problem = checkOsName(os);
  if (problem === null) return undefined;
  return (
    `the OS name '${os}' is refused by the server's rule (${problem}): a server that does not know this OS yet answers 400. ` +
    `Set os= in the [DEFAULT] section of the configuration to override it`
  );
}
