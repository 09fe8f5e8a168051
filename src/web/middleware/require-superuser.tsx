/** @jsxImportSource hono/jsx */
/**
 * Guards the superusers' pages: nobody signed in → the sign-in page (even with REQUIRE_LOGIN off),
 * a signed-in user who is not a superuser → 403.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { MessagePage } from '../views/message-page.tsx';
import { redirectToLogin } from './require-login.ts';

/** Creates the superuser guard. */
export function requireSuperuser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.var.user;
    if (!user) return redirectToLogin(c);
    if (!user.isSuperuser) {
      return c.html(
        <MessagePage
          title="Access denied"
          message="Only superusers may manage users."
          user={user}
          csrfToken={c.var.csrfToken}
        />,
        403,
      );
    }
    await next();
  };
}
