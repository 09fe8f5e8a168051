/** Request bodies are read only through the capped readers, so no route can buffer an unbounded body. */
import { expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const WEB = resolve(import.meta.dir, '../../src/web');
const READERS = ['read-capped-body.ts', 'read-form-body.ts', 'read-json-body.ts'];
const UNCAPPED =
  /\.req\.(parseBody|json|text|arrayBuffer|blob|formData)\(|\.raw\.(json|text|arrayBuffer|blob|formData)\(/;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

test('no file of src/web reads a request body but the capped readers', () => {
  const offenders = listFiles(WEB)
    .filter((file) => !READERS.includes(relative(WEB, file)))
    .filter((file) => UNCAPPED.test(readFileSync(file, 'utf8')))
    .map((file) => relative(WEB, file));
  expect(offenders).toEqual([]);
});
