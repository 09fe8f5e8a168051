/**
 * The agent binary must carry no server code (DESIGN.md "Layout and the direction of imports"): nothing
 * reachable from src/agent.ts may import the database, the store, the web layer or their libraries.
 */
import { expect, test } from 'bun:test';
import { dirname, join, resolve } from 'node:path';

const SOURCE_ROOT = join(import.meta.dir, '..', '..', 'src');
const FORBIDDEN = [/^hono(\/|$)/, /^drizzle-orm(\/|$)/, /^mysql2(\/|$)/, /^ldapts(\/|$)/, /^@zxcvbn-ts\//];
const FORBIDDEN_DIRECTORIES = ['db', 'store', 'web', 'config', 'pki'].map((name) => join(SOURCE_ROOT, name));

/** Lists the import specifiers of a TypeScript file. */
async function listImports(file: string): Promise<string[]> {
  const text = await Bun.file(file).text();
  return [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => (match[1] ?? match[2])!);
}

test('nothing reachable from src/agent.ts imports db, store, web, server config, hono, drizzle, mysql2 or zxcvbn', async () => {
  const seen = new Set<string>();
  const queue = [join(SOURCE_ROOT, 'agent.ts')];
  const violations: string[] = [];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of await listImports(file)) {
      if (FORBIDDEN.some((pattern) => pattern.test(specifier)))
        violations.push(`${file} imports ${specifier}`);
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (FORBIDDEN_DIRECTORIES.some((directory) => target.startsWith(`${directory}/`))) {
        violations.push(`${file} imports ${specifier}`);
      }
      queue.push(target);
    }
  }
  expect(seen.size).toBeGreaterThan(20);
  expect(violations).toEqual([]);
});
