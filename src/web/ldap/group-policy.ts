/**
 * What a user's groups allow: REQUIRE_GROUP and DENY_GROUP decide whether they may sign in, and
 * USER_FLAGS_BY_GROUP sets their account's flags. Pure, so every rule is tested without a server.
 */
import type { LdapSettings } from './ldap-settings.ts';

export type GroupVerdict =
  | { allowed: true; flags: { isActive?: boolean; isSuperuser?: boolean } }
  | { allowed: false; reason: string };

type GroupRules = Pick<LdapSettings, 'requireGroups' | 'denyGroups' | 'flagGroups'>;

/** Judges normalized group DNs (the user's) against the rules. */
export function judgeGroups(rules: GroupRules, groups: ReadonlySet<string>): GroupVerdict {
  const inAny = (dns: string[]) => dns.some((dn) => groups.has(dn));
  if (rules.requireGroups && !inAny(rules.requireGroups)) {
    return { allowed: false, reason: 'not in any group of LDAP.REQUIRE_GROUP' };
  }
  if (inAny(rules.denyGroups)) return { allowed: false, reason: 'in a group of LDAP.DENY_GROUP' };
  const { isActive, isSuperuser } = rules.flagGroups;
  return {
    allowed: true,
    flags: {
      ...(isActive ? { isActive: inAny(isActive) } : {}),
      ...(isSuperuser ? { isSuperuser: inAny(isSuperuser) } : {}),
    },
  };
}
