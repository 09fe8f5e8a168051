/** @jsxImportSource hono/jsx */
/** The sign-in form for local accounts. */
import { CsrfField } from './csrf-field.tsx';
import { Layout } from './layout.tsx';

export interface LoginPageProps {
  /** Where to go after signing in (already checked to be on this site). */
  next: string;
  /** The CSRF token of the sign-in form (double-submit cookie). */
  formToken: string;
  /** The name typed before, kept after a failure. */
  username?: string;
  /** Why the last attempt failed. */
  error?: string;
  user?: { username: string; isSuperuser: boolean } | null;
  csrfToken?: string;
}

/** The sign-in page. */
export function LoginPage(props: LoginPageProps) {
  return (
    <Layout title="Sign in" user={props.user} csrfToken={props.csrfToken}>
      <form method="post" action="/login/" class="login-form">
        {props.error ? (
          <p class="form-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <CsrfField token={props.formToken} />
        <input type="hidden" name="next" value={props.next} />
        <label>
          Username
          <input
            type="text"
            name="username"
            value={props.username ?? ''}
            autocomplete="username"
            autocapitalize="none"
            required
            autofocus
          />
        </label>
        <label>
          Password
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
