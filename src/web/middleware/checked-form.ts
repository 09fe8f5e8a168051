/**
 * The form routes' middleware: reads the posted form (capped before parsing), checks that it repeats
 * the CSRF token it must, and hands it to the handler as `c.var.form`. Declared on each form route,
 * after its access rule, so no handler sees a form that was not checked.
 */
import type { MiddlewareHandler } from 'hono';
import { isLoginFormTokenValid, isSessionTokenValid, readSubmittedToken, rejectCsrf } from '../auth/csrf.ts';
import type { AppEnv } from '../env.ts';
import { readFormBody } from '../read-form-body.ts';

/**
 * Which token the form must repeat: the session's; the sign-in form's cookie (before any session
 * exists); or the session's only when someone is signed in (sign-out, harmless without a session).
 */
export type FormToken = 'session' | 'sign-in' | 'session-if-signed-in';

/** Creates the middleware for forms that must carry `token`. */
export function requireCheckedForm(token: FormToken): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const form = await readFormBody(c);
    const submitted = readSubmittedToken(c, form);
    const valid =
      token === 'sign-in'
        ? isLoginFormTokenValid(c, submitted)
        : (token === 'session-if-signed-in' && !c.var.user) || isSessionTokenValid(c, submitted);
    if (!valid) return rejectCsrf(c);
    c.set('form', form);
    await next();
  };
}
