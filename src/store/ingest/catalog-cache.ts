/**
 * In-memory ids of immutable catalog rows (OS, package names, source names, versions, kernels, and
 * the source version each package version was built from: that link never changes), so that a
 * steady-state report asks the database only about what changed, and the reverse (package id
 * → name, version id → version) so that a host's rows load as bare ids. Entries learned inside a
 * transaction become visible to others only after it commits (a rolled-back id may be reused). A
 * row can still vanish under the cache (GC on another instance): callers clear the cache when a
 * foreign key fails and retry. Lookups allocate nothing: one Map per kind, versions nested by parent.
 */

/** Catalog rows cached by name (kernels by a composite key). */
export type NameKind = 'os' | 'package' | 'srcPackage' | 'kernel';
/** Catalog rows cached by (OS, parent, version). */
export type VersionKind = 'version' | 'srcVersion';

/** The source version a package version was built from: immutable once the version exists. */
export interface VersionSource {
  srcVersionId: number;
  /** Source package name and source version, as the CVE pairs key them (docs/cve.md). */
  name: string;
  version: string;
}

/** Above this many entries the cache starts over rather than grow without bound. */
const MAX_ENTRIES = 400_000;

/** A view of the cache for one transaction: reads see committed and staged entries. */
export interface CatalogScope {
  get(kind: NameKind, key: string): number | undefined;
  set(kind: NameKind, key: string, id: number): void;
  getVersion(kind: VersionKind, osId: number, parentId: number, version: string): number | undefined;
  setVersion(kind: VersionKind, osId: number, parentId: number, version: string, id: number): void;
  /** Every version of the parent on the OS was read into the cache once. */
  isLoaded(kind: VersionKind, osId: number, parentId: number): boolean;
  markLoaded(kind: VersionKind, osId: number, parentId: number): void;
  /** Name of a package id learned by `set('package', …)`. */
  packageName(id: number): string | undefined;
  /** Version string of a package version id learned by `setVersion('version', …)`. */
  versionText(id: number): string | undefined;
  /** Source version of a package version id, learned by `setVersionSource`. */
  versionSource(id: number): VersionSource | undefined;
  setVersionSource(id: number, source: VersionSource): void;
}

export interface CatalogCache {
  /** Opens a scope whose new entries are kept only if `commit` is called. */
  begin(): CatalogScope & { commit(): void };
  /** Forgets everything (after a foreign-key failure). */
  clear(): void;
  /** Number of committed entries. */
  size(): number;
}

interface CatalogMaps {
  names: Record<NameKind, Map<string, number>>;
  /** By parentKey(OS, parent), then version string. */
  versions: Record<VersionKind, Map<number, Map<string, number>>>;
  loaded: Record<VersionKind, Set<number>>;
  packageNames: Map<number, string>;
  versionTexts: Map<number, string>;
  versionSources: Map<number, VersionSource>;
  size: number;
}

function createMaps(): CatalogMaps {
  return {
    names: { os: new Map(), package: new Map(), srcPackage: new Map(), kernel: new Map() },
    versions: { version: new Map(), srcVersion: new Map() },
    loaded: { version: new Set(), srcVersion: new Set() },
    packageNames: new Map(),
    versionTexts: new Map(),
    versionSources: new Map(),
    size: 0,
  };
}

/** One number for (OS id, parent id): ids stay far below 2^32 and OS ids below 2^20. */
function parentKey(osId: number, parentId: number): number {
  return osId * 4_294_967_296 + parentId;
}

function putName(maps: CatalogMaps, kind: NameKind, key: string, id: number): void {
  const byName = maps.names[kind];
  if (!byName.has(key)) maps.size++;
  byName.set(key, id);
  if (kind === 'package') maps.packageNames.set(id, key);
}

function putVersion(maps: CatalogMaps, kind: VersionKind, parent: number, version: string, id: number): void {
  let byVersion = maps.versions[kind].get(parent);
  if (!byVersion) {
    byVersion = new Map();
    maps.versions[kind].set(parent, byVersion);
  }
  if (!byVersion.has(version)) maps.size++;
  byVersion.set(version, id);
  if (kind === 'version') maps.versionTexts.set(id, version);
}

function putVersionSource(maps: CatalogMaps, id: number, source: VersionSource): void {
  if (!maps.versionSources.has(id)) maps.size++;
  maps.versionSources.set(id, source);
}

/** Creates an empty cache. */
export function createCatalogCache(): CatalogCache {
  let committed = createMaps();
  return {
    begin() {
      let staged: CatalogMaps | undefined;
      const stage = () => {
        staged ??= createMaps();
        return staged;
      };
      return {
        get: (kind, key) => staged?.names[kind].get(key) ?? committed.names[kind].get(key),
        set: (kind, key, id) => putName(stage(), kind, key, id),
        getVersion(kind, osId, parentId, version) {
          const parent = parentKey(osId, parentId);
          return (
            staged?.versions[kind].get(parent)?.get(version) ??
            committed.versions[kind].get(parent)?.get(version)
          );
        },
        setVersion: (kind, osId, parentId, version, id) =>
          putVersion(stage(), kind, parentKey(osId, parentId), version, id),
        isLoaded(kind, osId, parentId) {
          const parent = parentKey(osId, parentId);
          return committed.loaded[kind].has(parent) || staged?.loaded[kind].has(parent) === true;
        },
        markLoaded: (kind, osId, parentId) => {
          stage().loaded[kind].add(parentKey(osId, parentId));
        },
        packageName: (id) => staged?.packageNames.get(id) ?? committed.packageNames.get(id),
        versionText: (id) => staged?.versionTexts.get(id) ?? committed.versionTexts.get(id),
        versionSource: (id) => staged?.versionSources.get(id) ?? committed.versionSources.get(id),
        setVersionSource: (id, source) => putVersionSource(stage(), id, source),
        commit() {
          if (!staged) return;
          if (committed.size + staged.size > MAX_ENTRIES) committed = createMaps();
          mergeInto(committed, staged);
          staged = undefined;
        },
      };
    },
    clear() {
      committed = createMaps();
    },
    size: () => committed.size,
  };
}

function mergeInto(target: CatalogMaps, source: CatalogMaps): void {
  for (const kind of Object.keys(source.names) as NameKind[]) {
    for (const [key, id] of source.names[kind]) putName(target, kind, key, id);
  }
  for (const kind of Object.keys(source.versions) as VersionKind[]) {
    for (const [parent, byVersion] of source.versions[kind]) {
      for (const [version, id] of byVersion) putVersion(target, kind, parent, version, id);
    }
    for (const parent of source.loaded[kind]) target.loaded[kind].add(parent);
  }
  for (const [id, versionSource] of source.versionSources) putVersionSource(target, id, versionSource);
}
