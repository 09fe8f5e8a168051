import { describe, expect, test } from 'bun:test';
import { judgeGroups } from '../../../src/web/ldap/group-policy.ts';

const STAFF = 'cn=staff,ou=groups,dc=example,dc=com';
const CONTRACTOR = 'cn=contractor,ou=groups,dc=example,dc=com';
const ADMIN = 'cn=admin,ou=groups,dc=example,dc=com';
const BANNED = 'cn=banned,ou=groups,dc=example,dc=com';

const rules = {
  requireGroups: [STAFF, CONTRACTOR],
  denyGroups: [BANNED],
  flagGroups: { isActive: [STAFF, CONTRACTOR], isSuperuser: [ADMIN] },
};

describe('REQUIRE_GROUP and DENY_GROUP', () => {
  test('any one required group lets a user in', () => {
    expect(judgeGroups(rules, new Set([CONTRACTOR])).allowed).toBe(true);
    expect(judgeGroups(rules, new Set([STAFF])).allowed).toBe(true);
  });

  test('no required group keeps a user out, whatever else they are in', () => {
    expect(judgeGroups(rules, new Set([ADMIN]))).toEqual({
      allowed: false,
      reason: 'not in any group of LDAP.REQUIRE_GROUP',
    });
  });

  test('a denied group wins over a required one', () => {
    expect(judgeGroups(rules, new Set([STAFF, BANNED]))).toEqual({
      allowed: false,
      reason: 'in a group of LDAP.DENY_GROUP',
    });
  });

  test('without REQUIRE_GROUP anyone the directory knows is let in', () => {
    expect(judgeGroups({ ...rules, requireGroups: null }, new Set()).allowed).toBe(true);
  });
});

describe('USER_FLAGS_BY_GROUP', () => {
  test('sets each configured flag from membership', () => {
    expect(judgeGroups(rules, new Set([STAFF, ADMIN]))).toEqual({
      allowed: true,
      flags: { isActive: true, isSuperuser: true },
    });
    expect(judgeGroups({ ...rules, requireGroups: null }, new Set([ADMIN]))).toEqual({
      allowed: true,
      flags: { isActive: false, isSuperuser: true },
    });
  });

  test('leaves a flag that is not configured unset, so the account keeps its value', () => {
    expect(judgeGroups({ ...rules, flagGroups: {} }, new Set([STAFF]))).toEqual({ allowed: true, flags: {} });
  });
});
