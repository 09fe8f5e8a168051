/**
 * Source names of candidate versions (an upgrade is reported with the source of its candidate;
 * docs/protocol.md, "What the agent sends"), fetched for all upgrades with one `apt-cache show` call.
 */
import { parseSourceName, stripArchitecture } from './package-name.ts';
import { parseControlStanzas } from './parse-control-stanzas.ts';
import { runCommand } from './run-command.ts';

/** A package version to find the source of: pretty or bare name, version, architecture. */
export interface VersionQuery {
  name: string;
  version: string;
  architecture: string;
}

const SHOW_FIELDS = new Set(['Package', 'Version', 'Architecture', 'Source']);

/** Builds the lookup key of a version; `all` packages match any architecture. */
function toKey(bareName: string, version: string, architecture: string): string {
  return `${bareName}\t${version}\t${architecture}`;
}

/** Parses `apt-cache show` output into a map from name, version and architecture to source name. */
export function parseAptCacheShow(output: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const stanza of parseControlStanzas(output, SHOW_FIELDS)) {
    const name = stanza.get('Package');
    const version = stanza.get('Version');
    if (!name || !version) continue;
    sources.set(
      toKey(name, version, stanza.get('Architecture') ?? ''),
      parseSourceName(stanza.get('Source'), name),
    );
  }
  return sources;
}

/** Finds the source of one queried version in parsed `apt-cache show` output. */
export function findSource(sources: Map<string, string>, query: VersionQuery): string | undefined {
  const bare = stripArchitecture(query.name);
  return (
    sources.get(toKey(bare, query.version, query.architecture)) ??
    sources.get(toKey(bare, query.version, 'all'))
  );
}

/**
 * Looks up the source of each queried version with one `apt-cache show name=version ...`. Versions APT
 * does not know are simply missing from the result: apt-cache still prints the others.
 */
export async function lookUpSources(queries: readonly VersionQuery[]): Promise<Map<string, string>> {
  if (queries.length === 0) return new Map();
  const result = await runCommand([
    'apt-cache',
    'show',
    ...new Set(queries.map((query) => `${query.name}=${query.version}`)),
  ]);
  return parseAptCacheShow(result.stdout);
}
