import { describe, expect, test } from 'bun:test';
import { parseArgv } from '../../../src/agent/cli/parse-argv.ts';
import { UsageError } from '../../../src/agent/errors.ts';

const values = (...argv: string[]) => Object.fromEntries(parseArgv(argv).values);

describe('parseArgv', () => {
  describe('accepts the argparse forms of §1.1', () => {
    test('--opt value', () => expect(values('--port', '8443')).toEqual({ port: '8443' }));
    test('--opt=value', () => expect(values('--config=/dev/null')).toEqual({ config: '/dev/null' }));
    test('-p 8443', () => expect(values('-p', '8443')).toEqual({ port: '8443' }));
    test('-p8443', () => expect(values('-p8443')).toEqual({ port: '8443' }));
    test('-p=8443', () => expect(values('-p=8443')).toEqual({ port: '8443' }));
    test('bundled flags -ns host', () =>
      expect(values('-ns', 'host')).toEqual({ dry_run: true, server: ['host'] }));
    test('bundled flags with an attached value -ushost', () => {
      expect(values('-ushost')).toEqual({ upgradable: true, server: ['host'] });
    });
    test('a unique prefix: --dpkg is --dpkg-hook', () =>
      expect(values('--dpkg')).toEqual({ dpkg_hook: true }));
    test('a unique prefix: --dry is --dry-run', () => expect(values('--dry')).toEqual({ dry_run: true }));
    test('options in any order, --config anywhere', () => {
      expect(values('-n', '--config', 'x', '-d')).toEqual({ dry_run: true, config: 'x', debug: true });
    });
    test('`-` is a value (stdin for -f)', () => expect(values('-f', '-')).toEqual({ image_file: '-' }));
  });

  describe('collects servers (§1.6)', () => {
    test('several values after one -s', () => {
      expect(values('-s', 'a.example.org', 'b.example.org')).toEqual({
        server: ['a.example.org', 'b.example.org'],
      });
    });
    test('-s values stop at the next option', () => {
      expect(values('-s', 'a', 'b', '-n')).toEqual({ server: ['a', 'b'], dry_run: true });
    });
    test('repeated -s flags add up (legacy kept only the last)', () => {
      expect(values('-s', 'a', '-s', 'b')).toEqual({ server: ['a', 'b'] });
    });
    test('--server=a takes one value', () => expect(values('--server=a')).toEqual({ server: ['a'] }));
  });

  describe('stops at --help and --version', () => {
    test('-h', () => expect(parseArgv(['-n', '-h']).action).toBe('help'));
    test('--version', () => expect(parseArgv(['--version']).action).toBe('version'));
    test('--vers (prefix)', () => expect(parseArgv(['--vers']).action).toBe('version'));
    test('help wins over a later unknown option', () =>
      expect(parseArgv(['-h', '--bogus']).action).toBe('help'));
  });

  describe('refuses with a usage error', () => {
    test('an unknown option', () =>
      expect(() => parseArgv(['--bogus'])).toThrow('unrecognized arguments: --bogus'));
    test('an unknown short option', () => expect(() => parseArgv(['-x'])).toThrow(UsageError));
    test('a positional argument', () =>
      expect(() => parseArgv(['full'])).toThrow('unrecognized arguments: full'));
    test('an ambiguous prefix', () =>
      expect(() => parseArgv(['--c'])).toThrow('ambiguous option: --c could match'));
    test('-s without a value', () => {
      expect(() => parseArgv(['-s'])).toThrow('argument -s/--server: expected at least one argument');
    });
    test('-p followed by an option', () => {
      expect(() => parseArgv(['-p', '-n'])).toThrow('argument -p/--port: expected one argument');
    });
    test('a flag with a value', () =>
      expect(() => parseArgv(['--debug=yes'])).toThrow('ignored explicit argument'));
  });
});
