/**
 * The LDAP client against a real slapd: finding and binding users, reading their groups with and
 * without GROUP_SEARCH, the group cache, plain, StartTLS and ldaps connections, and every way the
 * directory can be unusable (no server, a wrong service password, a certificate from another CA).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { parseConfig } from '../../../src/config/load-config.ts';
import { normalizeDn } from '../../../src/lib/ldap-text.ts';
import { createLdapDirectory, type DirectoryAnswer } from '../../../src/web/ldap/ldap-directory.ts';
import { ldapSettingsFrom } from '../../../src/web/ldap/ldap-settings.ts';
import {
  ADMIN_GROUP,
  BASE_DN,
  BIND_DN,
  BIND_PASSWORD,
  CONTRACTOR_GROUP,
  freePort,
  PEOPLE,
  PEOPLE_DN,
  personDn,
  STAFF_GROUP,
  startTestDirectory,
  type TestDirectory,
} from '../../helpers/slapd.ts';

setDefaultTimeout(30_000);

let slapd: TestDirectory;
beforeAll(async () => {
  slapd = await startTestDirectory();
});
afterAll(async () => slapd?.stop());

/** Upstream's example block, pointed at the test server, with `overrides` on top. */
function block(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SERVER_URI: slapd.url,
    BIND_DN,
    BIND_PASSWORD,
    USER_SEARCH: { USER_FIELD: 'uid', SEARCH: PEOPLE_DN },
    GROUP_SEARCH: BASE_DN,
    REQUIRE_GROUP: [STAFF_GROUP, CONTRACTOR_GROUP],
    USER_FLAGS_BY_GROUP: { is_superuser: ADMIN_GROUP },
    ...overrides,
  };
}

function directoryFor(overrides: Record<string, unknown> = {}, now?: () => number) {
  const config = parseConfig({ LDAP: block(overrides) }, () => {});
  if (!config.LDAP) throw new Error('no LDAP block');
  return createLdapDirectory(ldapSettingsFrom(config.LDAP), now);
}

function expectOk(answer: DirectoryAnswer): Extract<DirectoryAnswer, { outcome: 'ok' }> {
  if (answer.outcome !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(answer)}`);
  return answer;
}

describe('finding and binding users', () => {
  test('the right password gives the entry, its name and its groups', async () => {
    const answer = expectOk(await directoryFor().authenticate('ann', PEOPLE.ann.password));
    expect(answer.dn).toBe(personDn('ann'));
    expect(answer.name).toBe('ann');
    expect([...answer.groups].sort()).toEqual([ADMIN_GROUP, STAFF_GROUP].map(normalizeDn).sort());
  });

  test('USER_ATTR_MAP.username names the account after another attribute', async () => {
    const directory = directoryFor({ USER_ATTR_MAP: { username: 'cn', email: 'mail' } });
    expect(expectOk(await directory.authenticate('bob', PEOPLE.bob.password)).name).toBe('Bob Staff');
  });

  test('the account name is the directory spelling of the uid, whatever case was typed', async () => {
    expect(expectOk(await directoryFor().authenticate('ANN', PEOPLE.ann.password)).name).toBe('ann');
  });

  test('a wrong password, an unknown user and empty fields are refused', async () => {
    const directory = directoryFor();
    expect(await directory.authenticate('ann', 'wrong')).toEqual({
      outcome: 'refused',
      reason: 'wrong password',
    });
    expect(await directory.authenticate('nobody', 'x')).toEqual({
      outcome: 'refused',
      reason: 'no such LDAP user',
    });
    expect((await directory.authenticate('ann', '')).outcome).toBe('refused');
    expect((await directory.authenticate('', 'x')).outcome).toBe('refused');
  });

  test('the search is one level deep: a user below USER_SEARCH.SEARCH is not found', async () => {
    const directory = directoryFor({ USER_SEARCH: { USER_FIELD: 'uid', SEARCH: BASE_DN } });
    expect((await directory.authenticate('ann', PEOPLE.ann.password)).outcome).toBe('refused');
  });
});

describe('filter characters in the username match themselves (RFC 4515)', () => {
  test('uids holding * and parentheses sign in with their own password', async () => {
    const directory = directoryFor();
    expect(expectOk(await directory.authenticate('star*', PEOPLE.star.password)).name).toBe('star*');
    expect(expectOk(await directory.authenticate('par(en)', PEOPLE.paren.password)).name).toBe('par(en)');
  });

  const attacks = [
    '*',
    'a*',
    'an*',
    '*)(uid=*',
    ')(uid=*',
    'ann)(uid=*',
    'ann)(|(uid=*',
    'ann\0',
    'ann\\2a',
    'st*',
  ];
  for (const attack of attacks) {
    test(`${JSON.stringify(attack)} with ann's password finds nobody`, async () => {
      expect(await directoryFor().authenticate(attack, PEOPLE.ann.password)).toEqual({
        outcome: 'refused',
        reason: 'no such LDAP user',
      });
    });
  }
});

describe('groups', () => {
  test('GROUP_SEARCH searches the whole subtree for groupOfNames', async () => {
    const answer = expectOk(await directoryFor().authenticate('carl', PEOPLE.carl.password));
    expect([...answer.groups]).toEqual([normalizeDn(CONTRACTOR_GROUP)]);
  });

  test('a user in no group gets an empty set', async () => {
    expect(expectOk(await directoryFor().authenticate('dora', PEOPLE.dora.password)).groups.size).toBe(0);
  });

  test('without GROUP_SEARCH, each group of the rules is compared, and a missing group is no member', async () => {
    const directory = directoryFor({
      GROUP_SEARCH: undefined,
      DENY_GROUP: `cn=gone,ou=groups,${BASE_DN}`,
    });
    const answer = expectOk(await directory.authenticate('ann', PEOPLE.ann.password));
    expect([...answer.groups].sort()).toEqual([ADMIN_GROUP, STAFF_GROUP].map(normalizeDn).sort());
  });

  test('CACHE_TIMEOUT keeps a user groups for that long, then asks again', async () => {
    let clock = 1_000_000;
    const directory = directoryFor({ CACHE_GROUPS: true, CACHE_TIMEOUT: 900 }, () => clock);
    expect(expectOk(await directory.authenticate('bob', PEOPLE.bob.password)).groups.size).toBe(1);
    await slapd.removeMember(STAFF_GROUP, 'bob');
    try {
      clock += 899_000;
      expect(expectOk(await directory.authenticate('bob', PEOPLE.bob.password)).groups.size).toBe(1);
      clock += 2_000;
      expect(expectOk(await directory.authenticate('bob', PEOPLE.bob.password)).groups.size).toBe(0);
    } finally {
      await slapd.addMember(STAFF_GROUP, 'bob');
    }
  });

  test('without a cache, a change of groups shows at the next sign-in; CACHE_GROUPS false turns it off', async () => {
    for (const overrides of [{}, { CACHE_GROUPS: false, CACHE_TIMEOUT: 900 }]) {
      const directory = directoryFor(overrides);
      expect(expectOk(await directory.authenticate('bob', PEOPLE.bob.password)).groups.size).toBe(1);
      await slapd.removeMember(STAFF_GROUP, 'bob');
      try {
        expect(expectOk(await directory.authenticate('bob', PEOPLE.bob.password)).groups.size).toBe(0);
      } finally {
        await slapd.addMember(STAFF_GROUP, 'bob');
      }
    }
  });

  test('a wrong password is refused even when the groups are cached', async () => {
    const directory = directoryFor({ CACHE_TIMEOUT: 900 });
    expectOk(await directory.authenticate('bob', PEOPLE.bob.password));
    expect((await directory.authenticate('bob', 'wrong')).outcome).toBe('refused');
  });
});

describe('TLS', () => {
  test('StartTLS on the plain port, with the CA from GLOBAL_OPTIONS', async () => {
    const directory = directoryFor({
      START_TLS: true,
      GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.caFile },
    });
    expectOk(await directory.authenticate('ann', PEOPLE.ann.password));
  });

  test('ldaps://, with the CA from GLOBAL_OPTIONS', async () => {
    const directory = directoryFor({
      SERVER_URI: slapd.ldapsUrl,
      GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.caFile },
    });
    expectOk(await directory.authenticate('ann', PEOPLE.ann.password));
  });

  for (const [name, overrides] of [
    ['ldaps:// with another CA', { SERVER_URI: 'ldaps' }],
    ['StartTLS with another CA', { START_TLS: true }],
  ] as const) {
    test(`${name}: the certificate is refused and nothing is sent`, async () => {
      const directory = directoryFor({
        ...overrides,
        SERVER_URI: overrides.SERVER_URI ? slapd.ldapsUrl : slapd.url,
        GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.otherCaFile },
      });
      const answer = await directory.authenticate('ann', PEOPLE.ann.password);
      expect(answer.outcome).toBe('unavailable');
      expect(JSON.stringify(answer)).not.toContain(PEOPLE.ann.password);
    });
  }
});

test('StartTLS checks the certificate against the host of SERVER_URI', async () => {
  // The certificate is for IP:127.0.0.1 only.
  const directory = directoryFor({
    SERVER_URI: slapd.url.replace('127.0.0.1', 'localhost'),
    START_TLS: true,
    GLOBAL_OPTIONS: { OPT_X_TLS_CACERTFILE: slapd.caFile },
  });
  expect(await directory.authenticate('ann', PEOPLE.ann.password)).toEqual({
    outcome: 'unavailable',
    reason: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID'),
  });
});

describe('an unusable directory', () => {
  test('no server listening: unavailable, naming the address', async () => {
    const url = `ldap://127.0.0.1:${await freePort()}`;
    const answer = await directoryFor({ SERVER_URI: url }).authenticate('ann', PEOPLE.ann.password);
    expect(answer.outcome).toBe('unavailable');
    expect(answer.outcome === 'unavailable' && answer.reason).toMatch(
      new RegExp(`no LDAP server could be used \\(${url}: .*ECONNREFUSED`),
    );
  });

  test('a wrong service password: unavailable, naming BIND_DN, not tried on the next server', async () => {
    const directory = directoryFor({ BIND_PASSWORD: 'wrong', SERVER_URI: `${slapd.url} ${slapd.url}` });
    const answer = await directory.authenticate('ann', PEOPLE.ann.password);
    expect(answer).toEqual({
      outcome: 'unavailable',
      reason: expect.stringContaining(`the LDAP server refused LDAP.BIND_DN ${BIND_DN}`),
    });
  });

  test('several SERVER_URIs: a server that does not answer is passed over', async () => {
    const down = `ldap://127.0.0.1:${await freePort()}`;
    const directory = directoryFor({ SERVER_URI: `${down} ${slapd.url}` });
    expectOk(await directory.authenticate('ann', PEOPLE.ann.password));
  });

  test('a search base the service account cannot see: unavailable, naming the key', async () => {
    // This directory lets nobody but BIND_DN read it, so an anonymous search finds no base at all.
    for (const overrides of [
      { BIND_DN: '', BIND_PASSWORD: '' },
      { USER_SEARCH: { USER_FIELD: 'uid', SEARCH: `ou=gone,${BASE_DN}` } },
    ]) {
      expect(await directoryFor(overrides).authenticate('ann', PEOPLE.ann.password)).toEqual({
        outcome: 'unavailable',
        reason: expect.stringContaining('LDAP.USER_SEARCH.SEARCH'),
      });
    }
  });

  test('a GROUP_SEARCH base that does not exist: unavailable, naming the key', async () => {
    const directory = directoryFor({ GROUP_SEARCH: `ou=gone,${BASE_DN}` });
    expect(await directory.authenticate('ann', PEOPLE.ann.password)).toEqual({
      outcome: 'unavailable',
      reason: expect.stringContaining('LDAP.GROUP_SEARCH'),
    });
  });
});
