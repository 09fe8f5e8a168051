/** @jsxImportSource hono/jsx */
/**
 * `/admin/users`: the superusers' page of accounts. Every POST carries the session's CSRF token and
 * ends with a redirect back to the list (so a reload does not repeat it), or the list with errors.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { parseId } from '../../../lib/parse-id.ts';
import { sha256Hex } from '../../../lib/tokens.ts';
import { changePassword, createAccount } from '../../../store/accounts/create-account.ts';
import { findSessionId } from '../../../store/accounts/sessions.ts';
import { findUserById, listUsers, setUserActive } from '../../../store/accounts/users.ts';
import { requireSuperuser } from '../../access/rules.tsx';
import { readTokenCookie, SESSION_COOKIE } from '../../auth/cookies.ts';
import type { AppEnv } from '../../env.ts';
import { requireCheckedForm } from '../../middleware/checked-form.ts';
import { UsersPage } from '../../views/users-page.tsx';

/** What a successful action says, by the code in the redirect (never free text from the URL). */
const NOTICES: Record<string, (username: string) => string> = {
  created: (username) => `User ${username} created.`,
  password: (username) => `Password of ${username} changed; their other sessions were ended.`,
  disabled: (username) => `User ${username} disabled; their sessions were ended.`,
  enabled: (username) => `User ${username} enabled.`,
};

type Form = Record<string, unknown>;

/** The `/admin/users` routes. */
export const userAdminRoutes = new Hono<AppEnv>();

userAdminRoutes.get('/admin/users', requireSuperuser, (c) => {
  const notice = NOTICES[c.req.query('notice') ?? ''];
  return renderUsers(c, { notice: notice ? notice(c.req.query('user') ?? '') : undefined });
});

userAdminRoutes.post('/admin/users', requireSuperuser, requireCheckedForm('session'), async (c) => {
  const form = c.var.form ?? {};
  const username = text(form.username).trim();
  const password = text(form.password);
  const created = await createAccount(c.var.database, {
    username,
    password,
    isSuperuser: text(form.superuser) === '1',
  });
  if (!created.ok) return renderUsers(c, { errors: created.problems, newUsername: username }, 400);
  c.var.log.info(`User ${JSON.stringify(username)} created by ${JSON.stringify(c.var.user?.username)}`);
  return doneRedirect(c, 'created', username);
});

/** An action on the account the path's `:id` names, with its checked form; 404 when there is none. */
function onAccount(
  path: string,
  action: (c: Context<AppEnv>, form: Form, target: AccountTarget) => Promise<Response>,
) {
  userAdminRoutes.post(path, requireSuperuser, requireCheckedForm('session'), async (c) => {
    const id = parseId(c.req.param('id'));
    const target = id === null ? null : await findUserById(c.var.database, id);
    if (!target) return c.notFound();
    return action(c, c.var.form ?? {}, target);
  });
}

type AccountTarget = { id: number; username: string };

onAccount('/admin/users/:id{[0-9]+}/password', async (c, form, target) => {
  // Changing one's own password keeps the current session and ends the others.
  const keep = target.id === c.var.user?.id ? await currentSessionId(c) : undefined;
  const errors = await changePassword(c.var.database, target, text(form.password), keep);
  if (errors.length > 0) return renderUsers(c, { errors }, 400);
  c.var.log.info(
    `Password of ${JSON.stringify(target.username)} set by ${JSON.stringify(c.var.user?.username)}`,
  );
  return doneRedirect(c, 'password', target.username);
});

onAccount('/admin/users/:id{[0-9]+}/active', async (c, form, target) => {
  if (target.id === c.var.user?.id) {
    return renderUsers(c, { errors: ['You cannot disable your own account.'] }, 400);
  }
  const active = text(form.active) === '1';
  await setUserActive(c.var.database, target.id, active);
  c.var.log.info(
    `User ${JSON.stringify(target.username)} ${active ? 'enabled' : 'disabled'} by ${JSON.stringify(c.var.user?.username)}`,
  );
  return doneRedirect(c, active ? 'enabled' : 'disabled', target.username);
});

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

async function currentSessionId(c: Context<AppEnv>): Promise<number | undefined> {
  const token = readTokenCookie(c, SESSION_COOKIE);
  return token ? ((await findSessionId(c.var.database, sha256Hex(token))) ?? undefined) : undefined;
}

function doneRedirect(c: Context<AppEnv>, notice: string, username: string): Response {
  return c.redirect(`/admin/users?notice=${notice}&user=${encodeURIComponent(username)}`, 303);
}

async function renderUsers(
  c: Context<AppEnv>,
  extra: { notice?: string; errors?: string[]; newUsername?: string },
  status: 200 | 400 = 200,
): Promise<Response> {
  const user = c.var.user;
  if (!user) throw new Error('requireSuperuser lets only signed-in users through');
  const users = await listUsers(c.var.database);
  return c.html(
    <UsersPage users={users} currentUser={user} csrfToken={c.var.csrfToken ?? ''} {...extra} />,
    status,
  );
}
