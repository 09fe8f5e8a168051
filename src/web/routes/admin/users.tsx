/** @jsxImportSource hono/jsx */
/**
 * `/admin/users`: the superusers' page of accounts. Every POST carries the session's CSRF token and
 * ends with a redirect back to the list (so a reload does not repeat it), or the list with errors.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { checkPassword } from '../../../domain/password-policy.ts';
import { checkUsername } from '../../../domain/username-policy.ts';
import { hashPassword } from '../../../lib/password-hash.ts';
import { sha256Hex } from '../../../lib/tokens.ts';
import { findSessionId } from '../../../store/sessions.ts';
import {
  createUser,
  findUserById,
  listUsers,
  setUserActive,
  setUserPassword,
  UserExistsError,
} from '../../../store/users.ts';
import { readTokenCookie, SESSION_COOKIE } from '../../auth/cookies.ts';
import { isSessionTokenValid, readSubmittedToken, rejectCsrf } from '../../auth/csrf.ts';
import type { AppEnv } from '../../env.ts';
import { requireSuperuser } from '../../middleware/require-superuser.tsx';
import { readFormBody } from '../../read-form-body.ts';
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

userAdminRoutes.use('/admin/users', requireSuperuser());
userAdminRoutes.use('/admin/users/*', requireSuperuser());

userAdminRoutes.get('/admin/users', (c) => {
  const notice = NOTICES[c.req.query('notice') ?? ''];
  return renderUsers(c, { notice: notice ? notice(c.req.query('user') ?? '') : undefined });
});

userAdminRoutes.post('/admin/users', async (c) => {
  const form = await readCheckedForm(c);
  if (!form) return rejectCsrf(c);
  const username = text(form.username).trim();
  const password = text(form.password);
  const usernameProblem = checkUsername(username);
  const errors = usernameProblem ? [usernameProblem] : checkPassword(password, username);
  if (errors.length > 0) return renderUsers(c, { errors, newUsername: username }, 400);
  try {
    await createUser(c.var.database, {
      username,
      passwordHash: await hashPassword(password),
      isSuperuser: text(form.superuser) === '1',
    });
  } catch (error) {
    if (!(error instanceof UserExistsError)) throw error;
    return renderUsers(c, { errors: [error.message], newUsername: username }, 400);
  }
  c.var.log.info(`User ${JSON.stringify(username)} created by ${JSON.stringify(c.var.user?.username)}`);
  return doneRedirect(c, 'created', username);
});

userAdminRoutes.post('/admin/users/:id{[0-9]+}/password', async (c) => {
  const form = await readCheckedForm(c);
  if (!form) return rejectCsrf(c);
  const target = await findUserById(c.var.database, Number(c.req.param('id')));
  if (!target) return c.notFound();
  const password = text(form.password);
  const errors = checkPassword(password, target.username);
  if (errors.length > 0) return renderUsers(c, { errors }, 400);
  // Changing one's own password keeps the current session and ends the others.
  const keep = target.id === c.var.user?.id ? await currentSessionId(c) : undefined;
  await setUserPassword(c.var.database, target.id, await hashPassword(password), keep);
  c.var.log.info(
    `Password of ${JSON.stringify(target.username)} set by ${JSON.stringify(c.var.user?.username)}`,
  );
  return doneRedirect(c, 'password', target.username);
});

userAdminRoutes.post('/admin/users/:id{[0-9]+}/active', async (c) => {
  const form = await readCheckedForm(c);
  if (!form) return rejectCsrf(c);
  const target = await findUserById(c.var.database, Number(c.req.param('id')));
  if (!target) return c.notFound();
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

/** The form, or null when its CSRF token is missing or wrong. */
async function readCheckedForm(c: Context<AppEnv>): Promise<Form | null> {
  const form = await readFormBody(c);
  return isSessionTokenValid(c, readSubmittedToken(c, form)) ? form : null;
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
