import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { isSecurityRelease, parseInstLines } from '../../../src/agent/collect/apt-simulation.ts';

const FIXTURE = join(import.meta.dir, '..', 'fixtures', 'debian12', 'apt-get-s-dist-upgrade.txt');

describe('parseInstLines', () => {
  describe('reads the real Debian 12 simulation', async () => {
    const upgrades = parseInstLines(await Bun.file(FIXTURE).text());

    test('finds every Inst line of the 134 upgrades', () => {
      expect(upgrades).toHaveLength(134);
    });
    test('ignores the header, the package list and the Conf lines', () => {
      expect(upgrades.every((upgrade) => !upgrade.name.includes(' '))).toBe(true);
    });
    test('reads name, installed and candidate versions, releases and architecture', () => {
      expect(upgrades.find((upgrade) => upgrade.name === 'libgcrypt20-dev')).toEqual({
        name: 'libgcrypt20-dev',
        installedVersion: '1.10.1-3',
        candidateVersion: '1.10.1-3+deb12u1',
        architecture: 'amd64',
        releases: ['Debian:12.15/oldstable', 'Debian-Security:12/oldstable-security'],
      });
    });
    test('keeps epochs in both versions', () => {
      const libnss3 = upgrades.find((upgrade) => upgrade.name === 'libnss3');
      expect([libnss3?.installedVersion, libnss3?.candidateVersion]).toEqual([
        '2:3.87.1-1+deb12u2',
        '2:3.87.1-1+deb12u4',
      ]);
    });
    test('reads an `all` architecture', () => {
      expect(upgrades.find((upgrade) => upgrade.name === 'tzdata')?.architecture).toBe('all');
    });
    test('is not confused by the broken-dependency brackets after the candidate', () => {
      const line = upgrades.find((upgrade) => upgrade.name === 'libpam-modules-bin');
      expect(line?.architecture).toBe('amd64');
      expect(line?.releases).toEqual(['Debian:12.15/oldstable']);
    });
    test('marks 79 upgrades as coming from a security archive', () => {
      expect(upgrades.filter((upgrade) => upgrade.releases.some(isSecurityRelease))).toHaveLength(79);
    });
  });

  describe('skips lines that are not upgrades of installed packages', () => {
    test('an Inst line without [installed version] is a new dependency', () => {
      expect(parseInstLines('Inst libnew1 (1.0-1 Debian:12.15/oldstable [amd64])\n')).toEqual([]);
    });
    test('Remv and Conf lines', () => {
      expect(
        parseInstLines('Remv old-package [1.0-1]\nConf bash (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n'),
      ).toEqual([]);
    });
    test('an Inst line whose candidate equals the installed version', () => {
      expect(
        parseInstLines('Inst bash [5.2.15-2+b13] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n'),
      ).toEqual([]);
    });
  });

  test('keeps the :arch of a foreign package name', () => {
    const [upgrade] = parseInstLines(
      'Inst libc6:i386 [2.36-9] (2.36-9+deb12u1 Debian:12.15/oldstable [i386])\n',
    );
    expect([upgrade?.name, upgrade?.architecture]).toEqual(['libc6:i386', 'i386']);
  });
});

describe('isSecurityRelease', () => {
  describe('is true for security archives', () => {
    test('Debian label and archive', () =>
      expect(isSecurityRelease('Debian-Security:12/oldstable-security')).toBe(true));
    test('Ubuntu suite', () => expect(isSecurityRelease('Ubuntu:22.04/jammy-security')).toBe(true));
    test('Debian codename suite', () =>
      expect(isSecurityRelease('Debian-Security:12/bookworm-security')).toBe(true));
  });
  describe('is false otherwise', () => {
    test('a point release', () => expect(isSecurityRelease('Debian:12.15/oldstable')).toBe(false));
    test('Ubuntu updates', () => expect(isSecurityRelease('Ubuntu:22.04/jammy-updates')).toBe(false));
    test('a suite merely containing the word', () =>
      expect(isSecurityRelease('Example:1/security-tools')).toBe(false));
  });
});
