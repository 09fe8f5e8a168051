import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../src/config/load-config.ts';
import { ldapSettingsFrom } from '../../../src/web/ldap/ldap-settings.ts';

function settings(ldap: Record<string, unknown>) {
  const config = parseConfig(
    { LDAP: { SERVER_URI: 'ldap://h', USER_SEARCH: { USER_FIELD: 'uid', SEARCH: 'dc=x' }, ...ldap } },
    () => {},
  );
  if (!config.LDAP) throw new Error('no LDAP block');
  return ldapSettingsFrom(config.LDAP);
}

describe('the group cache', () => {
  const cases: [Record<string, unknown>, number][] = [
    [{}, 0],
    [{ CACHE_TIMEOUT: 900 }, 900_000],
    [{ CACHE_GROUPS: true, CACHE_TIMEOUT: 900 }, 900_000],
    [{ CACHE_GROUPS: true }, 300_000],
    [{ CACHE_GROUPS: false, CACHE_TIMEOUT: 900 }, 0],
  ];
  for (const [ldap, ms] of cases) {
    test(`${JSON.stringify(ldap)} keeps groups ${ms} ms`, () => expect(settings(ldap).groupCacheMs).toBe(ms));
  }
});

test('group DNs are normalized, and the groups of interest gathered once each', () => {
  const s = settings({
    REQUIRE_GROUP: 'CN=Staff, OU=Groups,DC=x',
    DENY_GROUP: 'cn=banned,dc=x',
    USER_FLAGS_BY_GROUP: { is_active: ['cn=staff,ou=groups,dc=x'], is_superuser: 'cn=admin,dc=x' },
  });
  expect(s.requireGroups).toEqual(['cn=staff,ou=groups,dc=x']);
  expect(s.flagGroups).toEqual({ isActive: ['cn=staff,ou=groups,dc=x'], isSuperuser: ['cn=admin,dc=x'] });
  expect(s.groupsOfInterest).toEqual(['cn=staff,ou=groups,dc=x', 'cn=banned,dc=x', 'cn=admin,dc=x']);
});

test('several SERVER_URIs are tried in their order', () => {
  expect(settings({ SERVER_URI: ' ldaps://a  ldap://b:389 ' }).uris).toEqual(['ldaps://a', 'ldap://b:389']);
});

describe('OPT_X_TLS_CACERTFILE', () => {
  test('is read when the app is built', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'debmonitor-ca-')), 'ca.pem');
    writeFileSync(file, 'PEM');
    expect(settings({ GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: file } }).tls.ca?.toString()).toBe('PEM');
  });

  test('a file that cannot be read stops the start, naming the option', () => {
    const build = () => settings({ GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: '/nonexistent/ca.pem' } });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('LDAP.GLOBAL_OPTIONS.OPT_X_TLS_CACERTFILE: cannot read /nonexistent/ca.pem');
  });
});
