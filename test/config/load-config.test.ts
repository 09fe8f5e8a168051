import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load-config.ts';

const quiet = () => {};

function writeConfig(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'debmonitor-config-')), 'config.json');
  writeFileSync(path, content);
  return path;
}

describe('parseConfig', () => {
  describe('defaults', () => {
    const config = parseConfig({}, quiet);
    test('embedded SQLite beside the working directory', () =>
      expect(config.databaseUrl).toBe('sqlite:./debmonitor.sqlite'));
    test('client certificates are verified', () => expect(config.VERIFY_CLIENTS).toBe(true));
    test('login is required (project decision 5)', () => expect(config.REQUIRE_LOGIN).toBe(true));
    test('loopback is the only trusted proxy', () => expect(config.TRUSTED_PROXIES).toContain('127.0.0.1'));
    test('GC thresholds are 15 and 90 days', () => {
      expect(config.GC_HOST_MAX_AGE_DAYS).toBe(15);
      expect(config.GC_IMAGE_MAX_AGE_DAYS).toBe(90);
    });
    test('the search needs three characters', () => expect(config.SEARCH_MIN_LENGTH).toBe(3));
    test('the result is frozen', () => expect(Object.isFrozen(config)).toBe(true));
  });

  describe('database location', () => {
    test('DATABASE_URL wins over MYSQL and SQLITE', () => {
      const config = parseConfig({ DATABASE_URL: 'sqlite:/x.db', SQLITE: { FILE: '/y.db' } }, quiet);
      expect(config.databaseUrl).toBe('sqlite:/x.db');
    });
    test("upstream's MYSQL block becomes a URL", () => {
      const MYSQL = {
        DB_NAME: 'debmonitor',
        DB_USER: 'dm',
        DB_PASSWORD: 'p@ss:w',
        DB_HOST: 'db1',
        DB_PORT: 3306,
        OPTIONS: {},
      };
      expect(parseConfig({ MYSQL }, quiet).databaseUrl).toBe('mysql://dm:p%40ss%3Aw@db1:3306/debmonitor');
    });
    test("upstream's SQLITE block", () => {
      expect(parseConfig({ SQLITE: { FILE: '/srv/db.sqlite3' } }, quiet).databaseUrl).toBe(
        'sqlite:/srv/db.sqlite3',
      );
    });
  });

  describe('booleans', () => {
    for (const value of [false, 'false', 'FALSE', '0', 0]) {
      test(`CAS_CREATE_USER ${JSON.stringify(value)} means false`, () => {
        const config = parseConfig(
          { CAS: { CAS_SERVER_URL: 'https://cas.example.org/cas', CAS_CREATE_USER: value } },
          quiet,
        );
        expect(config.CAS?.CAS_CREATE_USER).toBe(false);
      });
    }
    test('REQUIRE_LOGIN false restores open read access', () => {
      expect(parseConfig({ REQUIRE_LOGIN: false }, quiet).REQUIRE_LOGIN).toBe(false);
    });
  });

  describe('rejects with a message naming the key', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['VERIFY_CLIENTS', { VERIFY_CLIENTS: 'maybe' }],
      ['PROXY_HOSTS', { PROXY_HOSTS: 'host1' }],
      ['LISTEN_PORT', { LISTEN_PORT: 70000 }],
      ['SEARCH_MIN_LENGTH', { SEARCH_MIN_LENGTH: 0 }],
      ['DATABASE_URL', { DATABASE_URL: 'postgres://x' }],
      ['GC_HOST_MAX_AGE_DAYS', { GC_HOST_MAX_AGE_DAYS: -1 }],
      ['HOST_EXTERNAL_LINKS', { HOST_EXTERNAL_LINKS: { Inv: 'not a url' } }],
      ['MYSQL.DB_NAME', { MYSQL: { DB_USER: 'x', DB_PASSWORD: '', DB_HOST: 'h', DB_PORT: 1 } }],
    ];
    for (const [key, input] of cases) {
      test(key, () => {
        expect(() => parseConfig(input, quiet)).toThrow(ConfigError);
        expect(() => parseConfig(input, quiet)).toThrow(key);
      });
    }
  });

  test('warns about an unknown key and still starts', () => {
    const warnings: string[] = [];
    parseConfig({ VERIFY_CLIENT: false }, (message) => warnings.push(message));
    expect(warnings).toEqual([expect.stringContaining("unknown key 'VERIFY_CLIENT'")]);
  });
});

describe('loadConfig', () => {
  test('reads the file named by DEBMONITOR_CONFIG-style path', () => {
    const path = writeConfig(JSON.stringify({ PROXY_HOSTS: ['puppet.example.org'], REQUIRE_LOGIN: false }));
    const config = loadConfig({ path, warn: quiet });
    expect(config.PROXY_HOSTS).toEqual(['puppet.example.org']);
    expect(config.REQUIRE_LOGIN).toBe(false);
  });
  test('command-line overrides win over the file', () => {
    const path = writeConfig(JSON.stringify({ LISTEN_PORT: 9000 }));
    expect(loadConfig({ path, overrides: { LISTEN_PORT: 9100 }, warn: quiet }).LISTEN_PORT).toBe(9100);
  });
  test('invalid JSON names the file', () => {
    const path = writeConfig('{"VERIFY_CLIENTS": true,}');
    expect(() => loadConfig({ path, warn: quiet })).toThrow(`${path} is not valid JSON`);
  });
  test('a missing file is an error, not silent defaults', () => {
    expect(() => loadConfig({ path: '/nonexistent/debmonitor.json', warn: quiet })).toThrow('does not exist');
  });
});

describe('AUTO_TLS (README, "Quickstart")', () => {
  const tls = { CERT: 'c.pem', KEY: 'k.pem', CA: 'ca.pem' };
  test('on without a configuration file, on a SQLite file', () => {
    expect(parseConfig({}, quiet, 'defaults', { withoutFile: true }).autoTls).toBe(true);
    expect(
      parseConfig({ DATABASE_URL: 'sqlite:/srv/x.sqlite' }, quiet, 'x', { withoutFile: true }).autoTls,
    ).toBe(true);
  });
  test('off with a configuration file', () => {
    const path = writeConfig(JSON.stringify({ LISTEN_PORT: 9000 }));
    expect(loadConfig({ path, warn: quiet }).autoTls).toBe(false);
  });
  test('off on MySQL or an in-memory SQLite database, which have no folder for the CA', () => {
    for (const DATABASE_URL of ['mysql://u:p@db1:3306/dm', 'sqlite::memory:']) {
      expect(parseConfig({ DATABASE_URL }, quiet, 'x', { withoutFile: true }).autoTls).toBe(false);
    }
  });
  test('AUTO_TLS says so either way', () => {
    expect(parseConfig({ AUTO_TLS: false }, quiet, 'x', { withoutFile: true }).autoTls).toBe(false);
    const path = writeConfig(JSON.stringify({ AUTO_TLS: true }));
    expect(loadConfig({ path, warn: quiet }).autoTls).toBe(true);
  });
  test('a TLS block wins: its files are used, nothing is made', () => {
    expect(parseConfig({ TLS: tls, AUTO_TLS: true }, quiet, 'x', { withoutFile: true }).autoTls).toBe(false);
  });
});
