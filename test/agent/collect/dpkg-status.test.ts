import { describe, expect, test } from 'bun:test';
import { toInstalledItems } from '../../../src/agent/collect/collect-packages.ts';
import { isInstalled, parseDpkgStatus } from '../../../src/agent/collect/dpkg-status.ts';

/** A status stanza in dpkg's layout, with a multi-line field dpkg writes for conffiles. */
function stanza(name: string, fields: Record<string, string>, status = 'install ok installed'): string {
  const lines = [`Package: ${name}`, `Status: ${status}`];
  for (const [key, value] of Object.entries(fields)) lines.push(`${key}: ${value}`);
  lines.push('Conffiles:', ` /etc/${name}.conf 0123456789abcdef`);
  return `${lines.join('\n')}\n`;
}

describe('parseDpkgStatus', () => {
  test('reads name, architecture, version, source and state', () => {
    const [pkg] = parseDpkgStatus(
      stanza('openssl', { Architecture: 'amd64', Version: '3.0.16-1~deb12u1', Source: 'openssl' }),
    );
    expect(pkg).toEqual({
      name: 'openssl',
      architecture: 'amd64',
      version: '3.0.16-1~deb12u1',
      source: 'openssl',
      sourceVersion: '3.0.16-1~deb12u1',
      state: 'installed',
    });
  });
  test('reduces a Source with a parenthesised version to the name', () => {
    const [pkg] = parseDpkgStatus(
      stanza('libssl3', { Architecture: 'amd64', Version: '3.0.16-1', Source: 'openssl (3.0.16-1)' }),
    );
    expect(pkg?.source).toBe('openssl');
  });
  test("takes the source version from Source's parentheses, else the binary version", () => {
    const [binNmu, signed, plain] = parseDpkgStatus(
      [
        stanza('libtar0', { Architecture: 'amd64', Version: '1.27.1-2+b1', Source: 'tar (1.27.1-2)' }),
        stanza('linux-image-6.1.0-27-amd64', {
          Architecture: 'amd64',
          Version: '6.1.115-1',
          Source: 'linux-signed-amd64 (6.1.115+1)',
        }),
        stanza('bash', { Architecture: 'amd64', Version: '5.2.15-2+b7' }),
      ].join('\n'),
    );
    expect(binNmu).toMatchObject({ source: 'tar', sourceVersion: '1.27.1-2' });
    expect(signed).toMatchObject({ source: 'linux-signed-amd64', sourceVersion: '6.1.115+1' });
    expect(plain).toMatchObject({ source: 'bash', sourceVersion: '5.2.15-2+b7' });
  });
  test('falls back to the package name without Source', () => {
    expect(parseDpkgStatus(stanza('bash', { Architecture: 'amd64', Version: '5.2' }))[0]?.source).toBe(
      'bash',
    );
  });
  test('keeps the epoch of a version', () => {
    expect(
      parseDpkgStatus(stanza('libcap2', { Architecture: 'amd64', Version: '1:2.66-4' }))[0]?.version,
    ).toBe('1:2.66-4');
  });
  test('reads stanzas separated by a blank line, without a final newline', () => {
    const text =
      `${stanza('a', { Architecture: 'all', Version: '1' })}\n${stanza('b', { Architecture: 'all', Version: '2' })}`.trimEnd();
    expect(parseDpkgStatus(text).map((pkg) => pkg.name)).toEqual(['a', 'b']);
  });
  test('does not take continuation lines for fields', () => {
    const text = 'Package: a\nStatus: install ok installed\nVersion: 1\nDescription: x\n Version: 9\n';
    expect(parseDpkgStatus(text)[0]?.version).toBe('1');
  });
  test('gives nothing for an empty database', () => {
    expect(parseDpkgStatus('')).toEqual([]);
  });
});

describe('isInstalled', () => {
  const state = (status: string) =>
    isInstalled(parseDpkgStatus(stanza('p', { Architecture: 'all', Version: '1' }, status))[0]!);
  describe('is true when APT sees a current version', () => {
    test('installed', () => expect(state('install ok installed')).toBe(true));
    test('unpacked', () => expect(state('install ok unpacked')).toBe(true));
    test('half-configured', () => expect(state('install ok half-configured')).toBe(true));
    test('half-installed', () => expect(state('install reinstreq half-installed')).toBe(true));
    test('triggers-pending', () => expect(state('install ok triggers-pending')).toBe(true));
  });
  describe('is false otherwise', () => {
    test('config-files (removed, not purged)', () => expect(state('deinstall ok config-files')).toBe(false));
    test('not-installed', () => expect(state('purge ok not-installed')).toBe(false));
  });
});

describe('toInstalledItems', () => {
  const packages = parseDpkgStatus(
    [
      stanza('libc6', { Architecture: 'amd64', Version: '2.36-9', 'Multi-Arch': 'same', Source: 'glibc' }),
      stanza('libc6', { Architecture: 'i386', Version: '2.36-9', 'Multi-Arch': 'same', Source: 'glibc' }),
      stanza('tzdata', { Architecture: 'all', Version: '2025b-0' }),
      stanza('old', { Architecture: 'amd64', Version: '1' }, 'deinstall ok config-files'),
    ].join('\n'),
  );
  test('names native and `all` packages bare and foreign ones name:arch', () => {
    expect(toInstalledItems(packages, 'amd64').map((item) => item.name)).toEqual([
      'libc6',
      'libc6:i386',
      'tzdata',
    ]);
  });
  test('sorts by name in code-point order', () => {
    const names = toInstalledItems(
      parseDpkgStatus(
        [
          stanza('b', { Architecture: 'all', Version: '1' }),
          stanza('B', { Architecture: 'all', Version: '1' }),
          stanza('a', { Architecture: 'all', Version: '1' }),
        ].join('\n'),
      ),
      'amd64',
    ).map((item) => item.name);
    expect(names).toEqual(['B', 'a', 'b']);
  });
});
