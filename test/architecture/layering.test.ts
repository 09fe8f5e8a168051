/** The import rules of DESIGN.md ("Layout and the direction of imports"), checked on every file. */
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dir, '../../src');
const DRIVERS = ['drizzle-orm', 'mysql2', 'bun:sqlite'];

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Module specifiers of every import/export-from/dynamic import in a file. */
export function readImports(source: string): string[] {
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** The src/ area of a file or resolved import: `web/views`, `db`, `agent`, `server.ts`… */
function areaOf(path: string): string {
  const rel = relative(SRC, path);
  const parts = rel.split('/');
  if (parts[0] === 'web' && parts[1] === 'views') return 'web/views';
  return parts.length === 1 ? rel : (parts[0] ?? rel);
}

interface ImportEdge {
  file: string;
  from: string;
  to: string;
  specifier: string;
  /** `import type … from`: erased at build time, no code dependency. */
  typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not when the importing module loads. */
  dynamic: boolean;
}

/** Specifiers of the `import type … from '…'` statements of a file. */
export function readTypeOnlyImports(source: string): Set<string> {
  return new Set(
    [...source.matchAll(/import\s+type\s[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? ''),
  );
}

/** Specifiers of the dynamic `import('…')` calls of a file. */
export function readDynamicImports(source: string): Set<string> {
  return new Set([...source.matchAll(/import\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? ''));
}

function collectEdges(): ImportEdge[] {
  return listFiles(SRC).flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    const typeOnly = readTypeOnlyImports(source);
    const dynamic = readDynamicImports(source);
    return readImports(source).map((specifier) => {
      const target = specifier.startsWith('.') ? areaOf(resolve(dirname(file), specifier)) : specifier;
      const resolved = specifier.startsWith('.')
        ? relative(SRC, resolve(dirname(file), specifier))
        : specifier;
      return {
        file: relative(SRC, file),
        from: areaOf(file),
        to: target,
        specifier: resolved,
        typeOnly: typeOnly.has(specifier),
        dynamic: dynamic.has(specifier),
      };
    });
  });
}

/** Each rule returns the edges that break it. */
const rules: Record<string, (edge: ImportEdge) => boolean> = {
  // Views render the shapes the read models return, so they may name those types (`import type`
  // from store/read, erased at build time); they never call the store or the database.
  'views import neither store nor db': (e) =>
    e.from === 'web/views' &&
    ['store', 'db'].includes(e.to) &&
    !(e.typeOnly && e.specifier.startsWith('store/read/')),
  'the agent imports no db, store, web, config or server packages': (e) =>
    (e.from === 'agent' || e.from === 'agent.ts') &&
    (['db', 'store', 'web', 'web/views', 'config', 'pki'].includes(e.to) ||
      /^(hono|drizzle-orm|mysql2|bun:sqlite|ldapts|@zxcvbn-ts)(\/|$)/.test(e.specifier)),
  // Its dictionaries are large: loaded when a password is checked, not when the server starts.
  'zxcvbn is loaded only on demand, by the password policy': (e) =>
    e.specifier.startsWith('@zxcvbn-ts/') &&
    !e.typeOnly &&
    !(e.dynamic && e.file === 'domain/password-policy.ts'),
  // One module speaks LDAP, as one speaks CAS: the rest of the server sees its plain answers.
  'ldapts is imported only by web/ldap/ldap-directory.ts': (e) =>
    /^ldapts(\/|$)/.test(e.specifier) && e.file !== 'web/ldap/ldap-directory.ts',
  'drivers and dialect cores are imported only inside db/': (e) =>
    e.from !== 'db' &&
    DRIVERS.some((d) => e.specifier === d || e.specifier.startsWith(`${d}/`)) &&
    !(e.from === 'store' && e.specifier === 'drizzle-orm'),
  'domain, protocol, lib and config are leaves': (e) =>
    ['domain', 'protocol', 'lib', 'config'].includes(e.from) &&
    ['db', 'store', 'web', 'web/views', 'agent', 'pki', 'server.ts', 'agent.ts'].includes(e.to),
  // The CA's files and signing: used by the commands and the web layer, knowing neither.
  'pki imports no db, store or web': (e) =>
    e.from === 'pki' && ['db', 'store', 'web', 'web/views', 'cli', 'server.ts'].includes(e.to),
  'store does not import web': (e) => e.from === 'store' && ['web', 'web/views'].includes(e.to),
  'db does not import store or web': (e) => e.from === 'db' && ['store', 'web', 'web/views'].includes(e.to),
};

describe('layering', () => {
  const edges = collectEdges();
  test('the import scanner sees the codebase', () => {
    expect(edges.length).toBeGreaterThan(20);
    expect(edges.some((e) => e.from === 'db' && e.specifier === 'drizzle-orm/bun-sqlite')).toBe(true);
  });
  for (const [name, breaks] of Object.entries(rules)) {
    test(name, () => {
      expect(edges.filter(breaks).map((e) => `${e.file} imports ${e.specifier}`)).toEqual([]);
    });
  }
});

describe('readTypeOnlyImports', () => {
  test('tells type-only imports from value imports', () => {
    const source = `import type { A } from '../store/read/a.ts';\nimport { b, type C } from './b';`;
    expect([...readTypeOnlyImports(source)]).toEqual(['../store/read/a.ts']);
  });
});

describe('readDynamicImports', () => {
  test('finds only dynamic imports', () => {
    const source = `import a from './a';\nconst b = await import('./b');\nimport type { C } from './c';`;
    expect([...readDynamicImports(source)]).toEqual(['./b']);
  });
});

describe('readImports', () => {
  test('finds static, type-only, re-export, side-effect and dynamic imports', () => {
    const source = `import a from './a';\nimport type { B } from "../b";\nexport { c } from './c';\nimport './d';\nconst e = await import('./e');`;
    expect(readImports(source)).toEqual(['./a', '../b', './c', './d', './e']);
  });
});
