/** The sign-in and sign-out routes, sharing one CAS client or one LDAP directory when configured. */
import { Hono } from 'hono';
import type { Config } from '../../../config/schema.ts';
import type { LdapSignIn } from '../../auth/directory-sign-in.ts';
import { type CasClient, createCasClient } from '../../cas/cas-client.ts';
import type { AppEnv } from '../../env.ts';
import { createLdapDirectory } from '../../ldap/ldap-directory.ts';
import { ldapSettingsFrom } from '../../ldap/ldap-settings.ts';
import { createLoginRoutes } from './login.tsx';
import { createLogoutRoutes } from './logout.ts';

/** The external sign-in the configuration names: CAS, LDAP or neither. */
export interface SignInMethods {
  cas: CasClient | null;
  ldap: LdapSignIn | null;
}

/**
 * Reads the CAS and LDAP blocks; a bad CAS block, or an unreadable LDAP CA file, fails here, when the
 * app is built. With both blocks CAS is used and LDAP ignored, as upstream.
 */
export function createSignInMethods(config: Config): SignInMethods {
  const cas = config.CAS
    ? createCasClient({ serverUrl: config.CAS.CAS_SERVER_URL, version: config.CAS.CAS_VERSION })
    : null;
  const settings = config.LDAP && !cas ? ldapSettingsFrom(config.LDAP) : null;
  return { cas, ldap: settings ? { directory: createLdapDirectory(settings), settings } : null };
}

/** Creates `/login/` and `/logout/` for the app's sign-in methods. */
export function createAuthRoutes({ cas, ldap }: SignInMethods): Hono<AppEnv> {
  return new Hono<AppEnv>().route('/', createLoginRoutes(cas, ldap)).route('/', createLogoutRoutes(cas));
}
