import { describe, expect, test } from 'bun:test';
import { isAllowedHost } from '../../../src/web/middleware/allowed-hosts.ts';

describe('isAllowedHost', () => {
  test('an empty list allows any host', () => {
    expect(isAllowedHost('anything:1234', [])).toBe(true);
  });
  test('matches exactly, ignoring case and port', () => {
    expect(isAllowedHost('DebMonitor.Example.org:8080', ['debmonitor.example.org'])).toBe(true);
    expect(isAllowedHost('other.example.org', ['debmonitor.example.org'])).toBe(false);
  });
  test('a leading dot allows the domain and its subdomains', () => {
    expect(isAllowedHost('example.org', ['.example.org'])).toBe(true);
    expect(isAllowedHost('a.b.example.org', ['.example.org'])).toBe(true);
    expect(isAllowedHost('badexample.org', ['.example.org'])).toBe(false);
  });
  test('IPv6 literals keep their brackets', () => {
    expect(isAllowedHost('[::1]:8080', ['[::1]'])).toBe(true);
  });
  test('* allows everything', () => {
    expect(isAllowedHost('x.y', ['*'])).toBe(true);
  });
});
