/** The program version: package.json's from source, the injected one in a build, and the marker. */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VERSION, VERSION_MARKER } from '../../src/lib/version.ts';

const ROOT = resolve(import.meta.dir, '../..');
const PACKAGE_VERSION = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).version as string;

describe('VERSION', () => {
  test("from source is package.json's, as the build's default", () => {
    expect(VERSION).toBe(PACKAGE_VERSION);
    expect(VERSION_MARKER).toBe(`@(#)debmonitor ${PACKAGE_VERSION}`);
  });

  test('bundled as scripts/build.ts does, the marker is one string literal holding the injected version', async () => {
    const result = await Bun.build({
      entrypoints: [resolve(ROOT, 'src/lib/version.ts')],
      target: 'bun',
      minify: { whitespace: true, syntax: true, identifiers: true, keepNames: true },
      define: { DEBMONITOR_VERSION: JSON.stringify('9.8.7-test') },
    });
    const code = (await result.outputs[0]?.text()) ?? '';
    // The server finds an agent's version by these bytes (src/web/agents/agent-binary.ts).
    expect(code).toContain('"@(#)debmonitor 9.8.7-test"');
    expect(code).not.toContain('package.json');
  });
});
