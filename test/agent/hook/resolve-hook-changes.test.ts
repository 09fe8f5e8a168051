import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDpkgStatus } from '../../../src/agent/collect/dpkg-status.ts';
import { parseDpkgHookFeed } from '../../../src/agent/hook/parse-dpkg-hook.ts';
import { readDebControl, resolveHookChanges } from '../../../src/agent/hook/resolve-hook-changes.ts';
import { createLogger } from '../../../src/agent/log.ts';

const quiet = createLogger(false, () => {});
const directory = mkdtempSync(join(tmpdir(), 'agent-hook-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Builds a real .deb with dpkg-deb in the test directory and returns its path. */
function buildDeb(file: string, control: Record<string, string>): string {
  const root = join(directory, `${file}.d`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  const fields = { Maintainer: 'Test <test@example.org>', Description: 'test package', ...control };
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    `${Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n`,
  );
  const path = join(directory, file);
  const result = Bun.spawnSync(['dpkg-deb', '--build', '--root-owner-group', root, path], { stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(result.stderr.toString());
  return path;
}

/** The dpkg status of the host before the transaction: example-daemon, example-tool and libexample1 installed. */
const STATUS = [
  'Package: example-daemon\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.4-1\n',
  'Package: example-tool\nStatus: install ok installed\nArchitecture: all\nVersion: 3.2-1\n',
  'Package: libexample1\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.0-2\nSource: example\n',
  'Package: libexample1\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.0-2\nSource: example\n',
].join('\n');

describe('resolveHookChanges', () => {
  let debs: Record<string, string>;
  beforeAll(() => {
    debs = {
      libAmd64: buildDeb('libexample1 2.0-3 amd64.deb', {
        Package: 'libexample1',
        Version: '2.0-3',
        Architecture: 'amd64',
        Source: 'example',
      }),
      libI386: buildDeb('libexample1_2.0-3_i386.deb', {
        Package: 'libexample1',
        Version: '2.0-3',
        Architecture: 'i386',
        Source: 'example (2.0-3)',
      }),
      cli: buildDeb('example-cli_1%3a4.1-1_amd64.deb', {
        Package: 'example-cli',
        Version: '1:4.1-1',
        Architecture: 'amd64',
        Source: 'example',
      }),
      tool: buildDeb('example-tool_3.1-5_all.deb', {
        Package: 'example-tool',
        Version: '3.1-5',
        Architecture: 'all',
      }),
    };
  });

  test('gives the expected output of the realistic v3 transaction of §2.4.4', async () => {
    const feed = parseDpkgHookFeed(
      [
        'VERSION 3',
        'APT::Architecture=amd64',
        '',
        `libexample1 2.0-2 amd64 same < 2.0-3 amd64 same ${debs.libAmd64}`,
        `libexample1 2.0-2 i386 same < 2.0-3 i386 same ${debs.libI386}`,
        `example-cli - - none < 1:4.1-1 amd64 foreign ${debs.cli}`,
        'example-daemon 1.4-1 amd64 none > - - none **REMOVE**',
        `example-tool 3.2-1 all none > 3.1-5 all none ${debs.tool}`,
        'libexample1 2.0-2 amd64 same < 2.0-3 amd64 same **CONFIGURE**',
        '',
      ].join('\n'),
    );
    const items = await resolveHookChanges(
      feed.changes,
      { nativeArchitecture: 'amd64', packages: parseDpkgStatus(STATUS) },
      quiet,
    );
    expect(items).toEqual({
      installed: [
        // The source version is the .deb's Source: parentheses, else its own version.
        { name: 'libexample1', version: '2.0-3', source: 'example', source_version: '2.0-3' },
        { name: 'libexample1:i386', version: '2.0-3', source: 'example', source_version: '2.0-3' },
        { name: 'example-cli', version: '1:4.1-1', source: 'example', source_version: '1:4.1-1' },
        { name: 'example-tool', version: '3.1-5', source: 'example-tool', source_version: '3.1-5' },
      ],
      uninstalled: [{ name: 'example-daemon', version: '1.4-1', source: 'example-daemon' }],
    });
  });

  test('protocol 2 names a foreign package from its .deb', async () => {
    const feed = parseDpkgHookFeed(
      `VERSION 2\nAPT::Architecture=amd64\n\nlibexample1 2.0-2 < 2.0-3 ${debs.libI386}\n`,
    );
    const items = await resolveHookChanges(
      feed.changes,
      { nativeArchitecture: 'amd64', packages: parseDpkgStatus(STATUS) },
      quiet,
    );
    expect(items.installed).toEqual([
      { name: 'libexample1:i386', version: '2.0-3', source: 'example', source_version: '2.0-3' },
    ]);
  });

  test('a removal takes its source from dpkg status', async () => {
    const feed = parseDpkgHookFeed(
      'VERSION 2\nAPT::Architecture=amd64\n\nlibexample1 2.0-2 > - **REMOVE**\n',
    );
    const items = await resolveHookChanges(
      feed.changes,
      { nativeArchitecture: 'amd64', packages: parseDpkgStatus(STATUS) },
      quiet,
    );
    expect(items.uninstalled).toEqual([{ name: 'libexample1', version: '2.0-2', source: 'example' }]);
  });
});

describe('readDebControl', () => {
  test('gives undefined for a missing .deb', async () => {
    expect(await readDebControl(join(directory, 'missing.deb'))).toBeUndefined();
  });
});
