/** The sign-in and sign-out routes, sharing one CAS client or one LDAP directory when configured. */
import { Hono } from 'hono';
import type { Config } from '../../../config/schema.ts';
import { createCasClient } from '../../cas/cas-client.ts';
import type { AppEnv } from '../../env.ts';
import { createLdapDirectory } from '../../ldap/ldap-directory.ts';
import { ldapSettingsFrom } from '../../ldap/ldap-settings.ts';
import { createLoginRoutes } from './login.tsx';
import { createLogoutRoutes } from './logout.ts';

/**
 * Creates `/login/` and `/logout/`; a bad CAS block, or an unreadable LDAP CA file, fails here, when
 * the app is built. With both blocks CAS is used and LDAP ignored, as upstream.
 */
export function createAuthRoutes(config: Config): Hono<AppEnv> {
  const cas = config.CAS
    ? createCasClient({ serverUrl: config.CAS.CAS_SERVER_URL, version: config.CAS.CAS_VERSION })
    : null;
  const settings = config.LDAP && !cas ? ldapSettingsFrom(config.LDAP) : null;
  const ldap = settings ? { directory: createLdapDirectory(settings), settings } : null;
  return new Hono<AppEnv>().route('/', createLoginRoutes(cas, ldap)).route('/', createLogoutRoutes(cas));
}
