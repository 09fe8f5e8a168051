/**
 * In-memory ids of immutable catalog rows (OS, package names, source names, versions, kernels), so
 * that a steady-state report asks the database only about what changed. Entries learned inside a
 * transaction become visible to others only after it commits (a rolled-back id may be reused). A
 * row can still vanish under the cache (GC on another instance): callers clear the cache when a
 * foreign key fails and retry.
 */

/** The kinds of cached rows; keys are built by the helpers below. */
export type CatalogKind = 'os' | 'package' | 'srcPackage' | 'version' | 'srcVersion' | 'kernel';

/** Above this many entries the cache starts over rather than grow without bound. */
const MAX_ENTRIES = 400_000;

/** A view of the cache for one transaction: reads see committed and staged entries. */
export interface CatalogScope {
  get(kind: CatalogKind, key: string): number | undefined;
  set(kind: CatalogKind, key: string, id: number): void;
}

export interface CatalogCache {
  /** Opens a scope whose new entries are kept only if `commit` is called. */
  begin(): CatalogScope & { commit(): void };
  /** Forgets everything (after a foreign-key failure). */
  clear(): void;
  /** Number of committed entries. */
  size(): number;
}

/** Creates an empty cache. */
export function createCatalogCache(): CatalogCache {
  let committed = new Map<string, number>();
  return {
    begin() {
      const staged = new Map<string, number>();
      return {
        get: (kind, key) => staged.get(`${kind}\u0000${key}`) ?? committed.get(`${kind}\u0000${key}`),
        set: (kind, key, id) => {
          staged.set(`${kind}\u0000${key}`, id);
        },
        commit() {
          if (committed.size + staged.size > MAX_ENTRIES) committed = new Map();
          for (const [key, id] of staged) committed.set(key, id);
        },
      };
    },
    clear() {
      committed = new Map();
    },
    size: () => committed.size,
  };
}

/** Cache key of a package or source-package version. */
export function versionKey(osId: number, parentId: number, version: string): string {
  return `${osId}\u0000${parentId}\u0000${version}`;
}
