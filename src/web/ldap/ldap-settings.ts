/** The LDAP block turned into what the directory client uses, checked once when the app is built. */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../../config/load-config.ts';
import type { ParsedConfig } from '../../config/schema.ts';
import { normalizeDn } from '../../lib/ldap-text.ts';

type LdapBlock = NonNullable<ParsedConfig['LDAP']>;

/** Seconds CACHE_GROUPS keeps groups when CACHE_TIMEOUT is not given (django-auth-ldap's old default). */
const CACHE_GROUPS_DEFAULT_SECONDS = 300;

export interface LdapSettings {
  /** Tried in order while a server cannot be reached. */
  uris: string[];
  /** Empty: the searches are anonymous. */
  bindDn: string;
  bindPassword: string;
  startTls: boolean;
  tls: ConnectionOptions;
  userBase: string;
  userField: string;
  /** The attribute that names the account; null: the entry's USER_FIELD value. */
  usernameAttribute: string | null;
  /** Base of the groupOfNames subtree search; null: each group of `groupsOfInterest` is asked. */
  groupBase: string | null;
  /** Normalized group DNs (lib/ldap-text.ts), any of which lets a user in; null: no requirement. */
  requireGroups: string[] | null;
  denyGroups: string[];
  /** Flags set from membership at each sign-in; a flag absent here is left as it is. */
  flagGroups: { isActive?: string[]; isSuperuser?: string[] };
  /** Every group whose membership matters, for directories searched without GROUP_SEARCH. */
  groupsOfInterest: string[];
  groupCacheMs: number;
  alwaysUpdateUser: boolean;
  noNewUsers: boolean;
}

/** An LDAP block's settings; a CA file that cannot be read stops the start here. */
export function ldapSettingsFrom(block: LdapBlock): LdapSettings {
  const normalize = (dns: string[] | undefined) => dns?.map(normalizeDn);
  const requireGroups = normalize(block.REQUIRE_GROUP) ?? null;
  const denyGroups = normalize(block.DENY_GROUP) ?? [];
  const flags = block.USER_FLAGS_BY_GROUP;
  const flagGroups = {
    ...(flags.is_active ? { isActive: normalize(flags.is_active) } : {}),
    ...(flags.is_superuser ? { isSuperuser: normalize(flags.is_superuser) } : {}),
  };
  const cacheSeconds =
    block.CACHE_GROUPS === false
      ? 0
      : (block.CACHE_TIMEOUT ?? (block.CACHE_GROUPS ? CACHE_GROUPS_DEFAULT_SECONDS : 0));
  return {
    uris: block.SERVER_URI.trim().split(/\s+/),
    bindDn: block.BIND_DN,
    bindPassword: block.BIND_PASSWORD,
    startTls: block.START_TLS,
    tls: tlsOptionsFrom(block.GLOBAL_OPTIONS),
    userBase: block.USER_SEARCH.SEARCH,
    userField: block.USER_SEARCH.USER_FIELD,
    usernameAttribute: block.USER_ATTR_MAP.username ?? null,
    groupBase: block.GROUP_SEARCH ?? null,
    requireGroups,
    denyGroups,
    flagGroups,
    groupsOfInterest: [
      ...new Set([
        ...(requireGroups ?? []),
        ...denyGroups,
        ...(flagGroups.isActive ?? []),
        ...(flagGroups.isSuperuser ?? []),
      ]),
    ],
    groupCacheMs: cacheSeconds * 1000,
    alwaysUpdateUser: block.ALWAYS_UPDATE_USER,
    noNewUsers: block.NO_NEW_USERS,
  };
}

/** python-ldap's global options as Node TLS options: the CA file, read now. */
function tlsOptionsFrom(options: Record<string, unknown>): ConnectionOptions {
  const caFile = options.OPT_X_TLS_CACERTFILE;
  if (caFile === undefined) return {};
  if (typeof caFile !== 'string' || caFile === '') {
    throw new ConfigError(
      'LDAP.GLOBAL_OPTIONS.OPT_X_TLS_CACERTFILE must be the path of a CA certificate file',
    );
  }
  try {
    return { ca: readFileSync(caFile) };
  } catch (error) {
    throw new ConfigError(
      `LDAP.GLOBAL_OPTIONS.OPT_X_TLS_CACERTFILE: cannot read ${caFile}: ${(error as Error).message}`,
    );
  }
}
