/**
 * Turns the changes of a dpkg hook feed into report items (docs/protocol.md, "What the agent sends"): the
 * name follows the multi-arch rule and the source comes, in order, from the `.deb` control data, dpkg's
 * status file, APT's metadata and finally the package name. It never fails on a version APT does not
 * know.
 */
import type { InstalledItem, UninstalledItem } from '../../protocol/report.ts';
import { findSource, lookUpSources, type VersionQuery } from '../collect/apt-cache-sources.ts';
import type { DpkgPackage } from '../collect/dpkg-status.ts';
import { formatPackageName, parseSourceName, parseSourceVersion } from '../collect/package-name.ts';
import { parseControlStanzas } from '../collect/parse-control-stanzas.ts';
import { runCommand } from '../collect/run-command.ts';
import type { AgentLogger } from '../log.ts';
import type { HookChange } from './parse-dpkg-hook.ts';

/** The installed and uninstalled lists of a dpkg-hook report. */
export interface HookItems {
  installed: InstalledItem[];
  uninstalled: UninstalledItem[];
}

/** What resolving names and sources needs to know about the host. */
export interface HookHostState {
  nativeArchitecture: string;
  /** Every package of dpkg's status file (at hook time, before dpkg runs). */
  packages: readonly DpkgPackage[];
}

/** The control fields of a `.deb` that name and place it. */
interface DebControl {
  architecture?: string;
  source?: string;
  /** The `Source:` field's version, else the `.deb`'s own version. */
  sourceVersion?: string;
}

const CONTROL_FIELDS = new Set(['Package', 'Architecture', 'Source', 'Version']);

/** Reads Package, Architecture and Source of a `.deb` with dpkg-deb; undefined when it cannot be read. */
export async function readDebControl(path: string): Promise<DebControl | undefined> {
  const result = await runCommand([
    'dpkg-deb',
    '--field',
    path,
    'Package',
    'Architecture',
    'Source',
    'Version',
  ]).catch(() => undefined);
  const stanza = result?.exitCode === 0 ? parseControlStanzas(result.stdout, CONTROL_FIELDS)[0] : undefined;
  const name = stanza?.get('Package');
  if (!stanza || !name) return undefined;
  const version = stanza.get('Version');
  return {
    architecture: stanza.get('Architecture'),
    source: parseSourceName(stanza.get('Source'), name),
    sourceVersion: version === undefined ? undefined : parseSourceVersion(stanza.get('Source'), version),
  };
}

/** Resolves every change into a report item; the lists keep feed order. */
export async function resolveHookChanges(
  changes: readonly HookChange[],
  host: HookHostState,
  logger: AgentLogger,
): Promise<HookItems> {
  const controls = await Promise.all(
    changes.map((change) => (change.debPath ? readDebControl(change.debPath) : undefined)),
  );
  const resolved = changes.map((change, index) => {
    const control = controls[index];
    const architecture = change.architecture ?? control?.architecture ?? guessArchitecture(change.name, host);
    const statusEntry = host.packages.find(
      (pkg) =>
        pkg.name === change.name &&
        pkg.version === change.version &&
        samePlace(pkg.architecture, architecture),
    );
    return {
      change,
      architecture,
      name: formatPackageName(change.name, architecture, host.nativeArchitecture),
      source: control?.source ?? statusEntry?.source,
      // Known only with the source from the .deb or dpkg; otherwise the server infers it.
      sourceVersion: control ? control.sourceVersion : statusEntry?.sourceVersion,
    };
  });

  // Only versions neither the .deb nor dpkg could place are asked from APT, in one call.
  const queries: VersionQuery[] = resolved
    .filter((item) => item.source === undefined)
    .map((item) => ({ name: item.name, version: item.change.version, architecture: item.architecture }));
  const aptSources = await lookUpSources(queries);

  const items: HookItems = { installed: [], uninstalled: [] };
  for (const item of resolved) {
    const query = { name: item.name, version: item.change.version, architecture: item.architecture };
    const source = item.source ?? findSource(aptSources, query) ?? item.change.name;
    const entry = { name: item.name, version: item.change.version, source };
    if (item.change.kind === 'removed') items.uninstalled.push(entry);
    else if (item.sourceVersion === undefined) items.installed.push(entry);
    else items.installed.push({ ...entry, source_version: item.sourceVersion });
    logger.debug(`Collected ${item.change.kind} package: ${JSON.stringify(items.installed.at(-1) ?? entry)}`);
  }
  return items;
}

/** An `all` package sits on every architecture. */
function samePlace(left: string, right: string): boolean {
  return left === right || left === 'all' || right === 'all';
}

/**
 * The architecture of a protocol-2 change without a readable `.deb`: the installed package's, preferring
 * the native one when several architectures are installed; the native architecture otherwise.
 */
function guessArchitecture(name: string, host: HookHostState): string {
  const installed = host.packages.filter((pkg) => pkg.name === name && pkg.state !== 'not-installed');
  if (installed.length === 0 || installed.some((pkg) => pkg.architecture === host.nativeArchitecture)) {
    return host.nativeArchitecture;
  }
  return installed[0]!.architecture;
}
