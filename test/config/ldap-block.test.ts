/** Upstream's LDAP block as the configuration reads it: values, refusals and the warnings by name. */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from '../../src/config/load-config.ts';

/** The LDAP block of upstream's doc/examples/config-ldap.json, as it is. */
const UPSTREAM_EXAMPLE = {
  SERVER_URI: 'ldaps://ldap.example.com',
  BIND_DN: 'cn=bindagent,ou=profile,dc=example,dc=com',
  BIND_PASSWORD: 'password for the bind object',
  USER_SEARCH: { USER_FIELD: 'uid', SEARCH: 'ou=people,dc=example,dc=com' },
  GROUP_SEARCH: 'dc=example,dc=com',
  REQUIRE_GROUP: ['cn=staff,ou=groups,dc=example,dc=com', 'cn=contractor,ou=groups,dc=example,dc=com'],
  CACHE_GROUPS: true,
  CACHE_TIMEOUT: 900,
  FIND_GROUP_PERMS: true,
  USER_ATTR_MAP: { username: 'cn', email: 'mail' },
  USER_FLAGS_BY_GROUP: {
    is_active: ['cn=staff,ou=groups,dc=example,dc=com', 'cn=contractor,ou=groups,dc=example,dc=com'],
    is_staff: ['cn=staff,ou=groups,dc=example,dc=com', 'cn=admin,ou=groups,dc=example,dc=com'],
    is_superuser: 'cn=admin,ou=groups,dc=example,dc=com',
  },
};

function parse(ldap: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  const config = parseConfig({ LDAP: ldap, ...extra }, (message) => warnings.push(message));
  return { config, warnings };
}

describe("upstream's example", () => {
  const { config, warnings } = parse(UPSTREAM_EXAMPLE);

  test('is read as it is', () => {
    expect(config.LDAP?.SERVER_URI).toBe('ldaps://ldap.example.com');
    expect(config.LDAP?.USER_SEARCH).toEqual({ USER_FIELD: 'uid', SEARCH: 'ou=people,dc=example,dc=com' });
    expect(config.LDAP?.REQUIRE_GROUP).toEqual(UPSTREAM_EXAMPLE.REQUIRE_GROUP);
    expect(config.LDAP?.CACHE_TIMEOUT).toBe(900);
  });

  test('a single group DN becomes a list of one', () => {
    expect(config.LDAP?.USER_FLAGS_BY_GROUP.is_superuser).toEqual(['cn=admin,ou=groups,dc=example,dc=com']);
  });

  test("is the README's example", () => {
    const readme = readFileSync(resolve(import.meta.dir, '../../README.md'), 'utf8');
    const block = /^```json\n"LDAP": (\{[\s\S]*?\n\})\n```/m.exec(readme)?.[1];
    expect(JSON.parse(block ?? 'null')).toEqual(UPSTREAM_EXAMPLE);
  });

  test('warns by name about exactly what has no effect here', () => {
    expect(warnings).toEqual([
      'configuration: LDAP.FIND_GROUP_PERMS has no effect here (there are no per-group permissions here)',
      'configuration: LDAP.USER_ATTR_MAP.email is not stored (accounts here have no email)',
      'configuration: LDAP.USER_FLAGS_BY_GROUP.is_staff has no effect here (the users page is for superusers)',
    ]);
  });
});

describe('defaults', () => {
  const { config, warnings } = parse({
    SERVER_URI: 'ldap://ldap.example.com',
    USER_SEARCH: { USER_FIELD: 'uid', SEARCH: 'ou=people,dc=example,dc=com' },
  });
  test('anonymous search, no StartTLS, accounts made and updated', () => {
    expect(config.LDAP).toMatchObject({
      BIND_DN: '',
      BIND_PASSWORD: '',
      START_TLS: false,
      NO_NEW_USERS: false,
      ALWAYS_UPDATE_USER: true,
      USER_ATTR_MAP: {},
      USER_FLAGS_BY_GROUP: {},
      GLOBAL_OPTIONS: {},
    });
  });
  test('no warning', () => expect(warnings).toEqual([]));
});

describe('other keys', () => {
  const base = { SERVER_URI: 'ldap://h', USER_SEARCH: { USER_FIELD: 'uid', SEARCH: 'dc=x' } };

  test('django-auth-ldap keys without effect, unknown keys, flags and options are each named', () => {
    const { warnings } = parse({
      ...base,
      MIRROR_GROUPS: true,
      USER_DN_TEMPLATE: 'uid=%(user)s,dc=x',
      SERVR_URI: 'ldap://typo',
      USER_FLAGS_BY_GROUP: { is_wizard: 'cn=w,dc=x' },
      GLOBAL_OPTIONS: {
        OPT_X_TLS_CACERTFILE: '/etc/ssl/ca.pem',
        OPT_X_TLS_REQUIRE_CERT: 0,
        OPT_REFERRALS: 0,
      },
    });
    expect(warnings).toEqual([
      'configuration: LDAP.MIRROR_GROUPS has no effect here (there are no local groups here)',
      'configuration: LDAP.USER_DN_TEMPLATE has no effect here (users are found with USER_SEARCH)',
      "configuration: unknown key 'LDAP.SERVR_URI' is ignored (check its spelling)",
      "configuration: unknown flag 'LDAP.USER_FLAGS_BY_GROUP.is_wizard' is ignored",
      'configuration: LDAP.GLOBAL_OPTIONS.OPT_X_TLS_REQUIRE_CERT has no effect here (only OPT_X_TLS_CACERTFILE is used)',
      'configuration: LDAP.GLOBAL_OPTIONS.OPT_REFERRALS has no effect here (only OPT_X_TLS_CACERTFILE is used)',
    ]);
  });

  test('START_TLS, DENY_GROUP, NO_NEW_USERS and ALWAYS_UPDATE_USER are read', () => {
    const { config, warnings } = parse({
      ...base,
      START_TLS: 'True',
      DENY_GROUP: 'cn=banned,dc=x',
      NO_NEW_USERS: true,
      ALWAYS_UPDATE_USER: false,
    });
    expect(config.LDAP).toMatchObject({
      START_TLS: true,
      DENY_GROUP: ['cn=banned,dc=x'],
      NO_NEW_USERS: true,
      ALWAYS_UPDATE_USER: false,
    });
    expect(warnings).toEqual([]);
  });

  test('several SERVER_URIs separated by spaces are accepted', () => {
    expect(
      parse({ ...base, SERVER_URI: 'ldaps://a.example.com ldap://b.example.com:389/' }).warnings,
    ).toEqual([]);
  });
});

describe('rejects with a message naming the key', () => {
  const base = { SERVER_URI: 'ldap://h', USER_SEARCH: { USER_FIELD: 'uid', SEARCH: 'dc=x' } };
  const cases: [string, Record<string, unknown>][] = [
    ['LDAP.SERVER_URI', { ...base, SERVER_URI: 'https://ldap.example.com' }],
    ['LDAP.SERVER_URI', { ...base, SERVER_URI: 'ldap://h/dc=x?uid' }],
    ['LDAP.SERVER_URI', { USER_SEARCH: base.USER_SEARCH }],
    ['LDAP.USER_SEARCH', { SERVER_URI: 'ldap://h' }],
    ['LDAP.USER_SEARCH.USER_FIELD', { ...base, USER_SEARCH: { USER_FIELD: 'uid)(x', SEARCH: 'dc=x' } }],
    ['LDAP.USER_ATTR_MAP.username', { ...base, USER_ATTR_MAP: { username: 'c n' } }],
    ['LDAP.REQUIRE_GROUP', { ...base, REQUIRE_GROUP: 7 }],
    ['LDAP.CACHE_TIMEOUT', { ...base, CACHE_TIMEOUT: -1 }],
    ['LDAP.START_TLS', { ...base, START_TLS: 'sometimes' }],
  ];
  for (const [key, ldap] of cases) {
    test(`${key}: ${JSON.stringify(ldap).slice(0, 80)}`, () => {
      expect(() => parseConfig({ LDAP: ldap }, () => {})).toThrow(ConfigError);
      expect(() => parseConfig({ LDAP: ldap }, () => {})).toThrow(key);
    });
  }
});

test('with CAS too, CAS wins (as upstream) and one warning says LDAP is ignored', () => {
  const { config, warnings } = parse(UPSTREAM_EXAMPLE, {
    CAS: { CAS_SERVER_URL: 'https://cas.example.org/cas' },
  });
  expect(config.CAS?.CAS_SERVER_URL).toBe('https://cas.example.org/cas');
  expect(warnings).toEqual([
    'configuration: both CAS and LDAP are configured; sign-in goes through CAS and LDAP is ignored',
  ]);
});
