import { describe, expect, test } from 'bun:test';
import { IniSyntaxError, parseIni } from '../../../src/agent/config/parse-ini.ts';

const defaults = (text: string) => Object.fromEntries(parseIni(text).get('DEFAULT') ?? []);

describe('parseIni', () => {
  describe('reads values like configparser', () => {
    test('key=value and key: value, trimmed', () => {
      expect(defaults('[DEFAULT]\nserver = a.example.org\nport: 443\n')).toEqual({
        server: 'a.example.org',
        port: '443',
      });
    });
    test('lower-cases keys', () => expect(defaults('[DEFAULT]\nSERVER=a\n')).toEqual({ server: 'a' }));
    test('skips # and ; full-line comments', () => {
      expect(defaults('[DEFAULT]\n# c\n; c\n  # indented\nserver=a\n')).toEqual({ server: 'a' });
    });
    test('has no inline comments', () =>
      expect(defaults('[DEFAULT]\nserver=a # x\n')).toEqual({ server: 'a # x' }));
    test('takes % literally', () =>
      expect(defaults('[DEFAULT]\nkey=%(x)s 100%\n')).toEqual({ key: '%(x)s 100%' }));
    test('splits at the first delimiter only', () =>
      expect(defaults('[DEFAULT]\nca=C:/x=y\n')).toEqual({ ca: 'C:/x=y' }));
    test('joins indented continuation lines', () => {
      expect(defaults('[DEFAULT]\nserver=a,\n  b\n')).toEqual({ server: 'a,\nb' });
    });
    test('keeps a blank line inside a continued value', () => {
      expect(defaults('[DEFAULT]\nserver=a\n\n  b\n')).toEqual({ server: 'a\n\nb' });
    });
    test('keeps an empty value', () => expect(defaults('[DEFAULT]\ndebug=\n')).toEqual({ debug: '' }));
    test('reads other sections apart from DEFAULT', () => {
      const sections = parseIni('[DEFAULT]\na=1\n[other]\na=2\n');
      expect(sections.get('other')?.get('a')).toBe('2');
      expect(sections.get('DEFAULT')?.get('a')).toBe('1');
    });
    test('accepts Windows line ends', () =>
      expect(defaults('[DEFAULT]\r\nserver=a\r\n')).toEqual({ server: 'a' }));
  });

  describe('fails where configparser fails', () => {
    test('no section header (legacy client.ko.conf: `[DEFAULT` unclosed)', () => {
      expect(() => parseIni('[DEFAULT\nserver=\nport=not_a_port\n')).toThrow(
        'File contains no section headers',
      );
    });
    test('a key repeated in one section', () => {
      expect(() => parseIni('[DEFAULT]\nport=1\nPort=2\n')).toThrow(IniSyntaxError);
    });
    test('a repeated section', () =>
      expect(() => parseIni('[DEFAULT]\n[DEFAULT]\n')).toThrow(IniSyntaxError));
    test('a line without delimiter', () =>
      expect(() => parseIni('[DEFAULT]\nserver\n')).toThrow(IniSyntaxError));
    test('an empty key', () => expect(() => parseIni('[DEFAULT]\n=value\n')).toThrow(IniSyntaxError));
  });
});
