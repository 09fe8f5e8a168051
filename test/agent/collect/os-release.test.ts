import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  explainOsNameProblem,
  formatOsName,
  parseOsRelease,
  readOsName,
  unquoteShellValue,
} from '../../../src/agent/collect/os-release.ts';

const osName = (text: string) => formatOsName(parseOsRelease(text));

describe('formatOsName', () => {
  test('the real Debian 12 file gives `Debian 12`', async () => {
    expect(
      osName(await Bun.file(join(import.meta.dir, '..', 'fixtures', 'debian12', 'os-release')).text()),
    ).toBe('Debian 12');
  });
  test('legacy fixture ExampleOS gives `ExampleOS 001`', () => {
    expect(osName('ID=ExampleOS\nVERSION_ID="001"\n')).toBe('ExampleOS 001');
  });
  test('Ubuntu gives `Ubuntu 22.04`', () => {
    expect(osName('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n')).toBe('Ubuntu 22.04');
  });
  test('an empty file gives `unknown`', () => expect(osName('')).toBe('unknown'));
  test('Debian testing without VERSION_ID gives `unknown`', () => {
    expect(osName('ID=debian\nVERSION_CODENAME=trixie\n')).toBe('unknown');
  });
  test('an empty ID gives `unknown`', () => expect(osName('ID=\nVERSION_ID=12\n')).toBe('unknown'));
  test('ID_LIKE and VERSION do not count as ID and VERSION_ID', () => {
    expect(osName('ID_LIKE=debian\nVERSION="12 (bookworm)"\n')).toBe('unknown');
  });
  test('later assignments override earlier ones', () =>
    expect(osName('ID=a\nID=debian\nVERSION_ID=12\n')).toBe('Debian 12'));
  describe('unquotes values like a shell (legacy needed double quotes)', () => {
    test('unquoted VERSION_ID', () => expect(osName('ID=debian\nVERSION_ID=12\n')).toBe('Debian 12'));
    test('single-quoted VERSION_ID', () => expect(osName("ID=debian\nVERSION_ID='12'\n")).toBe('Debian 12'));
    test('quoted ID', () => expect(osName('ID="ubuntu"\nVERSION_ID="24.04"\n')).toBe('Ubuntu 24.04'));
  });
});

describe('unquoteShellValue', () => {
  test('backslash escapes inside double quotes', () =>
    expect(unquoteShellValue('"a \\"b\\" \\$c"')).toBe('a "b" $c'));
  test('no escapes inside single quotes', () => expect(unquoteShellValue("'a\\b'")).toBe('a\\b'));
  test('an unquoted blank ends the value', () => expect(unquoteShellValue('12 # comment')).toBe('12'));
  test('adjacent quoted parts join', () => expect(unquoteShellValue('"a"\'b\'c')).toBe('abc'));
});

describe('readOsName', () => {
  const directory = mkdtempSync(join(tmpdir(), 'os-release-'));
  test('reads the first file that exists', () => {
    writeFileSync(join(directory, 'usr-lib'), 'ID=debian\nVERSION_ID="12"\n');
    expect(readOsName([join(directory, 'missing'), join(directory, 'usr-lib')])).toBe('Debian 12');
  });
  test('gives `unknown` when no file can be read', () => {
    expect(readOsName([join(directory, 'missing')])).toBe('unknown');
  });
});

describe('explainOsNameProblem', () => {
  test('accepts `Debian 12`, `Debian` and `Ubuntu 22.04`', () => {
    expect(['Debian 12', 'Debian', 'Ubuntu 22.04'].map(explainOsNameProblem)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
  test('explains `unknown` and `Debian 9` with the os= override', () => {
    expect(explainOsNameProblem('unknown')).toContain('os=');
    expect(explainOsNameProblem('Debian 9')).toContain("'Debian 9'");
  });
});
