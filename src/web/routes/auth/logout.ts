/**
 * `/logout/`: ends the session and goes to the sign-in page (with CAS, through the CAS logout).
 * POST is what the user menu sends, with the session's CSRF token. GET also signs out, as upstream
 * does: the session cookie is SameSite=Lax, so another site can only
 * trigger it through a top-level link the user follows, and the worst it does is sign them out.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { allowAnyone } from '../../access/rules.tsx';
import { closeSession } from '../../auth/sessions.ts';
import type { CasClient } from '../../cas/cas-client.ts';
import type { AppEnv } from '../../env.ts';
import { publicOrigin } from '../../http/request-origin.ts';
import { requireCheckedForm } from '../../middleware/checked-form.ts';

/** Creates the `/logout/` routes; with `cas`, signing out continues at the CAS server. */
export function createLogoutRoutes(cas: CasClient | null): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/logout/', allowAnyone, (c) => signOut(c, cas));
  routes.post('/logout/', allowAnyone, requireCheckedForm('session-if-signed-in'), (c) => signOut(c, cas));
  return routes;
}

async function signOut(c: Context<AppEnv>, cas: CasClient | null): Promise<Response> {
  const user = c.var.user;
  await closeSession(c);
  if (user) c.var.log.info(`Signed out: ${JSON.stringify(user.username)}`);
  if (cas) return c.redirect(await cas.logoutUrl(`${publicOrigin(c)}/login/`), 302);
  return c.redirect('/login/', 302);
}
