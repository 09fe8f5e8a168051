/** The sign-in and sign-out routes, sharing one CAS client when CAS is configured. */
import { Hono } from 'hono';
import type { Config } from '../../../config/schema.ts';
import { createCasClient } from '../../cas/cas-client.ts';
import type { AppEnv } from '../../env.ts';
import { createLoginRoutes } from './login.tsx';
import { createLogoutRoutes } from './logout.ts';

/** Creates `/login/` and `/logout/`; a bad CAS block fails here, when the app is built. */
export function createAuthRoutes(config: Config): Hono<AppEnv> {
  const cas = config.CAS
    ? createCasClient({ serverUrl: config.CAS.CAS_SERVER_URL, version: config.CAS.CAS_VERSION })
    : null;
  return new Hono<AppEnv>().route('/', createLoginRoutes(cas)).route('/', createLogoutRoutes(cas));
}
