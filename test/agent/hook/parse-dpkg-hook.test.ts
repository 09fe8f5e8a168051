import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { AgentError } from '../../../src/agent/errors.ts';
import { parseDpkgHookFeed } from '../../../src/agent/hook/parse-dpkg-hook.ts';

const FIXTURES = join(import.meta.dir, '..', 'fixtures', 'debian12');
const readFixture = (name: string) => Bun.file(join(FIXTURES, name)).text();

/** The preamble of spec/agent.md §2.4.4, for protocol version `version`. */
const preamble = (version: number) =>
  `VERSION ${version}\nAPT::Architecture=amd64\nAPT::Build-Essential::=build-essential\nAPT::Install-Recommends=0\nAPT::Install-Suggests=0\n\n`;

/** The nine line vectors of §2.4.4, as [v2 line, v3 line]. */
const VECTORS: [string, string][] = [
  [
    'package-name - < 1.0.0-1 /var/cache/apt/archives/package-name_1.0.0-1_all.deb',
    'package-name - - none < 1.0.0-1 all none /var/cache/apt/archives/package-name_1.0.0-1_all.deb',
  ],
  ['package-name - < 1.0.0-1 **CONFIGURE**', 'package-name - - none < 1.0.0-1 all none **CONFIGURE**'],
  [
    'package-name 1.0.0-1 = 1.0.0-1 /var/cache/apt/archives/package-name_1.0.0-1_all.deb',
    'package-name 1.0.0-1 all none = 1.0.0-1 all none /var/cache/apt/archives/package-name_1.0.0-1_all.deb',
  ],
  [
    'package-name 1.0.0-1 = 1.0.0-1 **CONFIGURE**',
    'package-name 1.0.0-1 all none = 1.0.0-1 all none **CONFIGURE**',
  ],
  [
    'package-name 1.0.0-1 < 1.0.0-2 /var/cache/apt/archives/package-name_1.0.0-2_all.deb',
    'package-name 1.0.0-1 all none < 1.0.0-2 all none /var/cache/apt/archives/package-name_1.0.0-2_all.deb',
  ],
  [
    'package-name 1.0.0-1 < 1.0.0-2 **CONFIGURE**',
    'package-name 1.0.0-1 all none < 1.0.0-2 all none **CONFIGURE**',
  ],
  [
    'package-name 1.0.0-2 > 1.0.0-1 /var/cache/apt/archives/package_name_.1.0.0-1_all.deb',
    'package-name 1.0.0-2 all none > 1.0.0-1 all none /var/cache/apt/archives/package_name_.1.0.0-1_all.deb',
  ],
  [
    'package-name 1.0.0-2 > 1.0.0-1 **CONFIGURE**',
    'package-name 1.0.0-2 all none > 1.0.0-1 all none **CONFIGURE**',
  ],
  ['package-name 1.0.0-1 > - **REMOVE**', 'package-name 1.0.0-1 all none > - - none **REMOVE**'],
];

/** Parses the preamble plus the given vector rows in protocol `version`, returning name/version/kind. */
function parseRows(version: 2 | 3, rows: number[]) {
  const lines = rows.map((row) => VECTORS[row]![version - 2]).join('\n');
  return parseDpkgHookFeed(`${preamble(version)}${lines}\n`).changes.map(({ name, version, kind }) => ({
    name,
    version,
    kind,
  }));
}

describe('parseDpkgHookFeed', () => {
  for (const version of [2, 3] as const) {
    describe(`gives the §2.4.4 results in protocol ${version}`, () => {
      test('rows 0-1: a fresh install of 1.0.0-1', () => {
        expect(parseRows(version, [0, 1])).toEqual([
          { name: 'package-name', version: '1.0.0-1', kind: 'installed' },
        ]);
      });
      test('rows 2-3: a re-install changes nothing', () => {
        expect(parseRows(version, [2, 3])).toEqual([]);
      });
      test('rows 4-5: an upgrade reports the new version 1.0.0-2', () => {
        expect(parseRows(version, [4, 5])).toEqual([
          { name: 'package-name', version: '1.0.0-2', kind: 'upgraded' },
        ]);
      });
      test('rows 6-7: a downgrade reports the new version 1.0.0-1', () => {
        expect(parseRows(version, [6, 7])).toEqual([
          { name: 'package-name', version: '1.0.0-1', kind: 'downgraded' },
        ]);
      });
      test('row 8: a removal reports the old version 1.0.0-1', () => {
        expect(parseRows(version, [8])).toEqual([
          { name: 'package-name', version: '1.0.0-1', kind: 'removed' },
        ]);
      });
      test('a **CONFIGURE** line alone produces nothing', () => {
        for (const row of [1, 3, 5, 7]) expect(parseRows(version, [row])).toEqual([]);
      });
    });
  }

  describe('reads the real Debian 12 captures', () => {
    test('v3 install of a local .deb: one install with architecture and .deb path', async () => {
      const feed = parseDpkgHookFeed(await readFixture('dpkg-hook-v3-install-local-deb.txt'));
      expect(feed.protocolVersion).toBe(3);
      expect(feed.nativeArchitecture).toBe('amd64');
      expect(feed.changes).toEqual([
        {
          name: 'debmonitor-fixture-dummy',
          version: '1.0-1',
          kind: 'installed',
          architecture: 'all',
          debPath: '/root/debmonitor-fixture-dummy_1.0-1_all.deb',
        },
      ]);
    });
    test('v2 install of a local .deb: one install without architecture', async () => {
      const feed = parseDpkgHookFeed(await readFixture('dpkg-hook-v2-install-local-deb.txt'));
      expect(feed.protocolVersion).toBe(2);
      expect(feed.changes).toEqual([
        {
          name: 'debmonitor-fixture-dummy',
          version: '1.0-1',
          kind: 'installed',
          architecture: undefined,
          debPath: '/root/debmonitor-fixture-dummy_1.0-1_all.deb',
        },
      ]);
    });
    test('v3 remove: one removal of the installed version', async () => {
      const feed = parseDpkgHookFeed(await readFixture('dpkg-hook-v3-remove.txt'));
      expect(feed.changes).toEqual([
        { name: 'debmonitor-fixture-dummy', version: '1.0-1', kind: 'removed', architecture: 'all' },
      ]);
    });
    test('v2 remove: one removal of the installed version', async () => {
      const feed = parseDpkgHookFeed(await readFixture('dpkg-hook-v2-remove.txt'));
      expect(feed.changes).toEqual([
        { name: 'debmonitor-fixture-dummy', version: '1.0-1', kind: 'removed', architecture: undefined },
      ]);
    });
  });

  describe('fails with legacy messages on a malformed header', () => {
    test('a first line `VER 1` is not a VERSION line', () => {
      expect(() => parseDpkgHookFeed('VER 1\n')).toThrow('Expected VERSION line to be the first one');
    });
    test('a protocol 1 feed (.deb paths, no header) names the Version key to set', () => {
      expect(() => parseDpkgHookFeed('/var/cache/apt/archives/hello_2.10-3_amd64.deb\n')).toThrow(
        'The hook feed is protocol version 1 (a list of .deb files, without removals), not 3: APT found no ' +
          'DPkg::Tools::Options::<command>::Version "3" for this hook',
      );
    });
    test('VERSION 1 is unsupported', () => {
      expect(() => parseDpkgHookFeed(`${preamble(1)}${VECTORS[0]![0]}\n`)).toThrow('Unsupported version 1');
    });
    test('VERSION 4 is unsupported', () => {
      expect(() => parseDpkgHookFeed('VERSION 4\nAPT::Architecture=amd64\n')).toThrow(
        'Unsupported version 4',
      );
    });
    test('VERSION 13 is unsupported (legacy read only its last digit)', () => {
      expect(() => parseDpkgHookFeed('VERSION 13\n\n')).toThrow('Unsupported version 13');
    });
    test('VERSION x is unsupported, not a crash', () => {
      expect(() => parseDpkgHookFeed('VERSION x\n\n')).toThrow(AgentError);
    });
    test('no empty separator line', () => {
      expect(() => parseDpkgHookFeed('VERSION 3\nAPT::Architecture=amd64\n')).toThrow(
        'Unable to find the empty line separator in input',
      );
    });
    test('empty input', () => {
      expect(() => parseDpkgHookFeed('')).toThrow('Expected VERSION line to be the first one');
    });
    test('an action line with too few fields', () => {
      expect(() => parseDpkgHookFeed(`${preamble(3)}package-name - < 1.0 /x.deb\n`)).toThrow(
        'Malformed dpkg hook line',
      );
    });
  });

  describe('handles what legacy crashed on (§2.4.3)', () => {
    test('an empty action list gives no changes', () => {
      expect(parseDpkgHookFeed(preamble(3)).changes).toEqual([]);
    });
    test('blank lines after the separator are skipped', () => {
      const feed = parseDpkgHookFeed(`${preamble(3)}\n${VECTORS[0]![1]}\n\n\n`);
      expect(feed.changes).toHaveLength(1);
    });
    test('a .deb path with spaces stays whole', () => {
      const line = 'package-name - - none < 1.0.0-1 all none /tmp/my debs/package-name_1.0.0-1_all.deb';
      expect(parseDpkgHookFeed(`${preamble(3)}${line}\n`).changes[0]!.debPath).toBe(
        '/tmp/my debs/package-name_1.0.0-1_all.deb',
      );
    });
    test('a foreign-architecture v3 line keeps its architecture', () => {
      const line =
        'libexample1 2.0-2 i386 same < 2.0-3 i386 same /var/cache/apt/archives/libexample1_2.0-3_i386.deb';
      expect(parseDpkgHookFeed(`${preamble(3)}${line}\n`).changes[0]!.architecture).toBe('i386');
    });
    test('native and foreign copies of one package are two changes', () => {
      const lines = [
        'libexample1 2.0-2 amd64 same < 2.0-3 amd64 same /var/cache/apt/archives/libexample1_2.0-3_amd64.deb',
        'libexample1 2.0-2 i386 same < 2.0-3 i386 same /var/cache/apt/archives/libexample1_2.0-3_i386.deb',
      ];
      expect(parseDpkgHookFeed(`${preamble(3)}${lines.join('\n')}\n`).changes).toHaveLength(2);
    });
    test('a purge of a config-files package (old version, no new) is a removal', () => {
      const line = 'example-daemon 1.4-1 amd64 none > - - none **REMOVE**';
      expect(parseDpkgHookFeed(`${preamble(3)}${line}\n`).changes[0]!.kind).toBe('removed');
    });
    test('a package listed twice keeps its last action', () => {
      const lines = [
        'example 1.0 amd64 none > - - none **REMOVE**',
        'example - - none < 2.0 amd64 none /x/example_2.0_amd64.deb',
      ];
      const changes = parseDpkgHookFeed(`${preamble(3)}${lines.join('\n')}\n`).changes;
      expect(changes.map((change) => [change.kind, change.version])).toEqual([['installed', '2.0']]);
    });
    test('**CONFIGURE** is compared exactly, not as a substring', () => {
      const line = 'package-name - < 1.0.0-1 CONFIGURE';
      expect(parseDpkgHookFeed(`${preamble(2)}${line}\n`).changes).toHaveLength(1);
    });
    test('an epoch version is kept as written', () => {
      const line =
        'example-cli - - none < 1:4.1-1 amd64 foreign /var/cache/apt/archives/example-cli_1%3a4.1-1_amd64.deb';
      expect(parseDpkgHookFeed(`${preamble(3)}${line}\n`).changes[0]!.version).toBe('1:4.1-1');
    });
  });

  test('the realistic v3 transaction of §2.4.4 gives four installs and one removal, in order', () => {
    const lines = [
      'libexample1 2.0-2 amd64 same < 2.0-3 amd64 same /var/cache/apt/archives/libexample1_2.0-3_amd64.deb',
      'libexample1 2.0-2 i386 same < 2.0-3 i386 same /var/cache/apt/archives/libexample1_2.0-3_i386.deb',
      'example-cli - - none < 1:4.1-1 amd64 foreign /var/cache/apt/archives/example-cli_1%3a4.1-1_amd64.deb',
      'example-daemon 1.4-1 amd64 none > - - none **REMOVE**',
      'example-tool 3.2-1 all none > 3.1-5 all none /var/cache/apt/archives/example-tool_3.1-5_all.deb',
      'example-doc 0.9-1 all none = 0.9-1 all none /var/cache/apt/archives/example-doc_0.9-1_all.deb',
      'libexample1 2.0-2 amd64 same < 2.0-3 amd64 same **CONFIGURE**',
      'libexample1 2.0-2 i386 same < 2.0-3 i386 same **CONFIGURE**',
      'example-cli - - none < 1:4.1-1 amd64 foreign **CONFIGURE**',
      'example-tool 3.2-1 all none > 3.1-5 all none **CONFIGURE**',
      'example-doc 0.9-1 all none = 0.9-1 all none **CONFIGURE**',
    ];
    const changes = parseDpkgHookFeed(`${preamble(3)}${lines.join('\n')}\n`).changes;
    expect(
      changes.map((change) => `${change.kind} ${change.name}:${change.architecture} ${change.version}`),
    ).toEqual([
      'upgraded libexample1:amd64 2.0-3',
      'upgraded libexample1:i386 2.0-3',
      'installed example-cli:amd64 1:4.1-1',
      'removed example-daemon:amd64 1.4-1',
      'downgraded example-tool:all 3.1-5',
    ]);
  });
});
