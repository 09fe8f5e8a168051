/**
 * Installed packages from dpkg's status file (docs/protocol.md, "What the agent sends"), read directly so
 * the agent needs no python-apt and no dpkg-query process.
 */
import { readFileSync } from 'node:fs';
import { parseSourceName, parseSourceVersion } from './package-name.ts';
import { parseControlStanzas } from './parse-control-stanzas.ts';

/** Where dpkg keeps the state of every package. */
export const DPKG_STATUS_PATH = '/var/lib/dpkg/status';

/** A package dpkg knows, as its status file records it. */
export interface DpkgPackage {
  /** The bare package name, without architecture. */
  name: string;
  architecture: string;
  version: string;
  /** Source package name: the `Source:` field without version, else the binary name. */
  source: string;
  /** Source package version: the `Source:` field's version, else the binary version. */
  sourceVersion: string;
  /** The third word of `Status:`, e.g. `installed`, `config-files`, `half-configured`. */
  state: string;
}

const STATUS_FIELDS = new Set(['Package', 'Architecture', 'Version', 'Source', 'Status']);

/** States in which APT gives a package no current version, so it is not installed. */
const NOT_INSTALLED_STATES = new Set(['not-installed', 'config-files']);

/** Parses the text of a dpkg status file into every package stanza it holds. */
export function parseDpkgStatus(text: string): DpkgPackage[] {
  const packages: DpkgPackage[] = [];
  for (const stanza of parseControlStanzas(text, STATUS_FIELDS)) {
    const name = stanza.get('Package');
    if (!name) continue;
    const version = stanza.get('Version') ?? '';
    packages.push({
      name,
      architecture: stanza.get('Architecture') ?? '',
      version,
      source: parseSourceName(stanza.get('Source'), name),
      sourceVersion: parseSourceVersion(stanza.get('Source'), version),
      state: stanza.get('Status')?.split(/\s+/)[2] ?? 'not-installed',
    });
  }
  return packages;
}

/** True when APT would see a current version: any state but `not-installed` and `config-files`. */
export function isInstalled(pkg: DpkgPackage): boolean {
  return pkg.version !== '' && !NOT_INSTALLED_STATES.has(pkg.state);
}

/** Reads the installed packages from the status file at `path`. */
export function readInstalledPackages(path: string = DPKG_STATUS_PATH): DpkgPackage[] {
  return parseDpkgStatus(readFileSync(path, 'utf8')).filter(isInstalled);
}
