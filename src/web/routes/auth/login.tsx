/** @jsxImportSource hono/jsx */
/**
 * `/login/`: the sign-in form (GET shows it, POST checks it) for local accounts and, with an LDAP
 * block, directory accounts; or with a CAS block the CAS round trip (redirect to CAS, then back here
 * with a ticket). CAS wins over LDAP, as upstream.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { sha256Hex } from '../../../lib/tokens.ts';
import { claimTicket } from '../../../store/accounts/used-tickets.ts';
import { createUser, findUserByName, UserExistsError } from '../../../store/accounts/users.ts';
import { allowAnyone } from '../../access/rules.tsx';
import { issueLoginFormToken } from '../../auth/csrf.ts';
import { readDeviceCookie, writeDeviceCookie } from '../../auth/device-cookie.ts';
import { type LdapSignIn, signInWithDirectory } from '../../auth/directory-sign-in.ts';
import { signInLocally } from '../../auth/local-sign-in.ts';
import { THROTTLED_TEXT } from '../../auth/login-throttle.ts';
import { encodeStrict, sanitizeNext } from '../../auth/safe-next.ts';
import { openSession } from '../../auth/sessions.ts';
import type { CasClient } from '../../cas/cas-client.ts';
import type { AppEnv } from '../../env.ts';
import { clientAddress, publicOrigin } from '../../http/request-origin.ts';
import { requireCheckedForm } from '../../middleware/checked-form.ts';
import { LoginPage } from '../../views/login-page.tsx';
import { MessagePage } from '../../views/message-page.tsx';

export const WRONG_CREDENTIALS_TEXT =
  'Please enter a correct username and password. Note that both fields may be case-sensitive.';
export const LDAP_UNAVAILABLE_TEXT =
  'The LDAP directory cannot be reached, so directory accounts cannot sign in now. Try again later; ' +
  'local accounts still can.';
export const NOT_ALLOWED_TEXT =
  'Your directory account may not use DebMonitor. Ask a DebMonitor administrator for access.';
/** CAS tickets are short (`ST-…`); anything long or odd is not worth a request to the CAS server. */
const TICKET_PATTERN = /^[\w.:-]{1,256}$/;

/** The service URL CAS sends the browser back to: this page, absolute, with `next`. */
export function casServiceUrl(c: Context<AppEnv>, next: string): string {
  return `${publicOrigin(c)}/login/?next=${encodeStrict(next)}`;
}

/**
 * Creates the `/login/` routes: the CAS round trip when `cas` is given, else the form, which also
 * asks the directory when `ldap` is given.
 */
export function createLoginRoutes(cas: CasClient | null, ldap: LdapSignIn | null = null): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/login/', allowAnyone, (c) => {
    const next = sanitizeNext(c.req.query('next'));
    if (cas) return signInWithCas(c, cas, next);
    return renderForm(c, { next });
  });

  if (cas) {
    routes.post('/login/', allowAnyone, (c) =>
      c.text('Sign-in goes through CAS: open /login/ in a browser.', 405, { Allow: 'GET' }),
    );
    return routes;
  }

  routes.post('/login/', allowAnyone, requireCheckedForm('sign-in'), async (c) => {
    const form = c.var.form ?? {};
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = sanitizeNext(typeof form.next === 'string' ? form.next : c.req.query('next'));
    const address = clientAddress(c);
    const credentials = { username, password, address, deviceToken: readDeviceCookie(c) };
    const result = ldap
      ? await signInWithDirectory(c.var.database, ldap, credentials)
      : await signInLocally(c.var.database, username, password, address, credentials.deviceToken);
    const because = 'reason' in result ? ` (LDAP: ${result.reason})` : '';
    if (result.outcome === 'throttled') {
      c.var.log.warn(`Sign-in refused, too many failures: user ${JSON.stringify(username)} from ${address}`);
      return renderForm(c, { next, username, error: THROTTLED_TEXT }, 429);
    }
    if (result.outcome === 'unavailable') {
      c.var.log.error(
        `LDAP sign-in unavailable for ${JSON.stringify(username)} from ${address}: ${result.reason}`,
      );
      return renderForm(c, { next, username, error: LDAP_UNAVAILABLE_TEXT }, 503);
    }
    if (result.outcome === 'not-allowed') {
      c.var.log.warn(`Sign-in refused: user ${JSON.stringify(username)} from ${address}${because}`);
      return renderForm(c, { next, username, error: NOT_ALLOWED_TEXT }, 403);
    }
    if (result.outcome === 'refused') {
      c.var.log.info(`Failed sign-in: user ${JSON.stringify(username)} from ${address}${because}`);
      return renderForm(c, { next, username, error: WRONG_CREDENTIALS_TEXT });
    }
    await openSession(c, result.user.id);
    writeDeviceCookie(c, result.user);
    c.var.log.info(`Signed in: ${JSON.stringify(result.user.username)} from ${address}`);
    return c.redirect(next, 302);
  });

  return routes;
}

function renderForm(
  c: Context<AppEnv>,
  form: { next: string; username?: string; error?: string },
  status: 200 | 403 | 429 | 503 = 200,
): Response | Promise<Response> {
  const formToken = issueLoginFormToken(c);
  return c.html(
    <LoginPage {...form} formToken={formToken} user={c.var.user} csrfToken={c.var.csrfToken} />,
    status,
  );
}

function refuse(c: Context<AppEnv>, message: string): Response | Promise<Response> {
  return c.html(
    <MessagePage
      title="Sign-in refused"
      message={message}
      link={{ href: '/logout/', label: 'Sign out of CAS and try another account' }}
    />,
    403,
  );
}

async function signInWithCas(c: Context<AppEnv>, cas: CasClient, next: string): Promise<Response> {
  const ticket = c.req.query('ticket');
  const service = casServiceUrl(c, next);
  if (ticket === undefined) {
    if (c.var.user) return c.redirect(next, 302);
    return c.redirect(await cas.loginUrl(service), 302);
  }
  const { config, database, log } = c.var;
  if (!TICKET_PATTERN.test(ticket)) return refuse(c, 'The CAS sign-in ticket is malformed. Sign in again.');
  if (!(await claimTicket(database, sha256Hex(ticket)))) {
    log.warn(`CAS ticket replayed from ${clientAddress(c)}`);
    return refuse(c, 'This CAS sign-in ticket was already used. Sign in again.');
  }
  const validation = await cas.validate(service, ticket);
  if (!validation.ok) {
    log.warn(`CAS ticket refused: ${validation.reason}`);
    return refuse(c, 'The CAS server did not confirm this sign-in. Sign in again.');
  }
  const username = validation.username;
  let user = await findUserByName(database, username);
  if (!user && config.CAS?.CAS_CREATE_USER) {
    try {
      await createUser(database, { username, passwordHash: null });
      log.info(`Created user ${JSON.stringify(username)} at first CAS sign-in`);
    } catch (error) {
      if (!(error instanceof UserExistsError)) throw error;
    }
    user = await findUserByName(database, username);
  }
  if (!user) {
    log.warn(`CAS sign-in refused: no account for ${JSON.stringify(username)}`);
    return refuse(
      c,
      `The CAS account '${username}' has no DebMonitor account. Ask a DebMonitor administrator to create it.`,
    );
  }
  if (!user.isActive) return refuse(c, `The DebMonitor account '${username}' is disabled.`);
  await openSession(c, user.id);
  log.info(`Signed in through CAS: ${JSON.stringify(username)} from ${clientAddress(c)}`);
  return c.redirect(next, 302);
}
