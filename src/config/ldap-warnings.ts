/**
 * What the start says about an LDAP block: upstream passes every key of the block on to
 * django-auth-ldap, so a working upstream file may hold keys that mean nothing here. Each is named
 * with the reason, rather than silently dropped or refused.
 */
import type { ParsedConfig } from './schema.ts';

type LdapBlock = NonNullable<ParsedConfig['LDAP']>;

/** django-auth-ldap settings this server accepts and ignores, with why. */
const WITHOUT_EFFECT: Record<string, string> = {
  FIND_GROUP_PERMS: 'there are no per-group permissions here',
  MIRROR_GROUPS: 'there are no local groups here',
  MIRROR_GROUPS_EXCEPT: 'there are no local groups here',
  AUTHORIZE_ALL_USERS: 'there are no per-group permissions here',
  GROUP_TYPE: 'groups are always groupOfNames, as upstream sets them',
  CONNECTION_OPTIONS: 'python-ldap connection options do not apply; TLS settings go in GLOBAL_OPTIONS',
  BIND_AS_AUTHENTICATING_USER: 'groups are always read as BIND_DN',
  REFRESH_DN_ON_BIND: 'the DN found by USER_SEARCH is used',
  USER_QUERY_FIELD: 'accounts are found by their username',
  USER_ATTRLIST: 'only the attributes of USER_ATTR_MAP are read',
  PERMIT_EMPTY_PASSWORD: 'an empty password is always refused',
  USER_DN_TEMPLATE: 'users are found with USER_SEARCH',
  GROUP_CACHE_TIMEOUT: 'use CACHE_TIMEOUT',
};

/** Accounts here have a name and two flags; these fields of a Django user have nowhere to go. */
const ACCOUNT_FIELDS = new Set(['username']);
const ACCOUNT_FLAGS = new Set(['is_active', 'is_superuser']);
/** Python-ldap options with a meaning here. */
const GLOBAL_OPTIONS = new Set(['OPT_X_TLS_CACERTFILE']);

/** One sentence per key of the block that has no effect, each naming the key. */
export function ldapWarnings(block: LdapBlock, source: string, known: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(block)) {
    if (known.has(key)) continue;
    const reason = WITHOUT_EFFECT[key];
    warnings.push(
      reason
        ? `${source}: LDAP.${key} has no effect here (${reason})`
        : `${source}: unknown key 'LDAP.${key}' is ignored (check its spelling)`,
    );
  }
  for (const field of Object.keys(block.USER_ATTR_MAP)) {
    if (!ACCOUNT_FIELDS.has(field)) {
      warnings.push(`${source}: LDAP.USER_ATTR_MAP.${field} is not stored (accounts here have no ${field})`);
    }
  }
  for (const flag of Object.keys(block.USER_FLAGS_BY_GROUP)) {
    if (ACCOUNT_FLAGS.has(flag)) continue;
    warnings.push(
      flag === 'is_staff'
        ? `${source}: LDAP.USER_FLAGS_BY_GROUP.is_staff has no effect here (the users page is for superusers)`
        : `${source}: unknown flag 'LDAP.USER_FLAGS_BY_GROUP.${flag}' is ignored`,
    );
  }
  for (const option of Object.keys(block.GLOBAL_OPTIONS)) {
    if (!GLOBAL_OPTIONS.has(option)) {
      warnings.push(
        `${source}: LDAP.GLOBAL_OPTIONS.${option} has no effect here (only OPT_X_TLS_CACERTFILE is used)`,
      );
    }
  }
  return warnings;
}
