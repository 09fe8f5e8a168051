/**
 * The parser of the `DPkg::Pre-Install-Pkgs` feed, protocol versions 2 and 3.
 * Pure: it says which packages are installed, upgraded, downgraded or removed; names and sources are
 * resolved afterwards against dpkg and APT (resolve-hook-changes.ts).
 */
import { AgentError } from '../errors.ts';

/** What a feed line does to a package, in the words legacy logs. */
export type HookChangeKind = 'installed' | 'upgraded' | 'downgraded' | 'removed';

/** One package change announced by the feed. */
export interface HookChange {
  /** Bare package name, as the feed writes it (no architecture qualifier). */
  name: string;
  /** The version to report: the new one for installs, the old (installed) one for removals. */
  version: string;
  kind: HookChangeKind;
  /** Architecture of that version; only protocol 3 says it. */
  architecture?: string;
  /** The `.deb` being unpacked, when the action is a path (its control data names the source). */
  debPath?: string;
}

/** A parsed feed. */
export interface HookFeed {
  protocolVersion: 2 | 3;
  /** `APT::Architecture` from the configuration dump, when APT sent it. */
  nativeArchitecture?: string;
  /** Changes in feed order; a package listed twice keeps only its last action. */
  changes: HookChange[];
}

const FIELD_COUNTS = { 2: 5, 3: 9 } as const;

/**
 * Why a protocol 1 feed came, and the fix (docs/agent.md, "APT and dpkg hooks"): APT sends version 1
 * when no `Version` key names the hook command exactly as its Pre-Install-Pkgs line starts.
 */
const PROTOCOL_ONE_MESSAGE =
  'The hook feed is protocol version 1 (a list of .deb files, without removals), not 3: ' +
  'APT found no DPkg::Tools::Options::<command>::Version "3" for this hook, where <command> must be ' +
  'the first word of the DPkg::Pre-Install-Pkgs line exactly (e.g. /usr/local/bin/debmonitor)';

/** A protocol 1 feed is one `.deb` path per line, with no header. */
function isProtocolOneLine(line: string): boolean {
  return line.startsWith('/');
}

/** Parses the whole feed text; throws AgentError with legacy's messages on a malformed header. */
export function parseDpkgHookFeed(text: string): HookFeed {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the newline ending the last line does not make an empty line
  const first = (lines[0] ?? '').trim();
  if (isProtocolOneLine(first)) throw new AgentError(PROTOCOL_ONE_MESSAGE);
  if (!first.startsWith('VERSION ')) {
    throw new AgentError(`Expected VERSION line to be the first one, got: ${first}`);
  }
  const versionText = first.slice('VERSION '.length).trim();
  const protocolVersion = /^\d+$/.test(versionText) ? Number(versionText) : Number.NaN;
  if (protocolVersion !== 2 && protocolVersion !== 3)
    throw new AgentError(`Unsupported version ${versionText}`);

  const separator = lines.indexOf('', 1);
  if (separator === -1) throw new AgentError('Unable to find the empty line separator in input');
  let nativeArchitecture: string | undefined;
  for (const line of lines.slice(1, separator)) {
    if (line.startsWith('APT::Architecture=')) nativeArchitecture = line.slice('APT::Architecture='.length);
  }

  const changes = new Map<string, HookChange>();
  for (const line of lines.slice(separator + 1)) {
    if (line.trim() === '') continue;
    const change = parseActionLine(line.trim(), protocolVersion);
    if (!change) continue;
    const key = `${change.name}:${change.architecture ?? ''}`;
    changes.delete(key); // re-inserting moves the package to the position of its last action
    changes.set(key, change);
  }
  return { protocolVersion, nativeArchitecture, changes: [...changes.values()] };
}

/**
 * Parses one action line into a change, or undefined for lines that change nothing we report
 * (`**CONFIGURE**`, re-installs). The leading fields are space-separated; the rest of the line is the
 * action, so a `.deb` path may contain spaces.
 */
export function parseActionLine(line: string, protocolVersion: 2 | 3): HookChange | undefined {
  const fieldCount = FIELD_COUNTS[protocolVersion];
  const fields: string[] = [];
  let rest = line;
  while (fields.length < fieldCount - 1) {
    const space = rest.indexOf(' ');
    if (space === -1) {
      throw new AgentError(
        `Malformed dpkg hook line (expected ${fieldCount} fields, protocol ${protocolVersion}): ${line}`,
      );
    }
    fields.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  const action = rest;
  if (action === '**CONFIGURE**') return undefined;
  const [name, oldVersion, oldArch, direction, newVersion, newArch] =
    protocolVersion === 3
      ? [fields[0], fields[1], fields[2], fields[4], fields[5], fields[6]]
      : [fields[0], fields[1], undefined, fields[2], fields[3], undefined];
  const oldArchitecture = knownArchitecture(oldArch);
  const newArchitecture = knownArchitecture(newArch);
  const debPath = action.startsWith('/') ? action : undefined;

  if (direction === '<') {
    const kind = oldVersion === '-' ? 'installed' : 'upgraded';
    return { name: name!, version: newVersion!, kind, architecture: newArchitecture, debPath };
  }
  if (direction === '>' && newVersion === '-') {
    return { name: name!, version: oldVersion!, kind: 'removed', architecture: oldArchitecture };
  }
  if (direction === '>') {
    return { name: name!, version: newVersion!, kind: 'downgraded', architecture: newArchitecture, debPath };
  }
  return undefined; // `=` is a re-install; anything else is not a change
}

/** The architecture of a v3 field, or undefined for `-` (no version on that side). */
function knownArchitecture(field: string | undefined): string | undefined {
  return field === undefined || field === '-' ? undefined : field;
}
