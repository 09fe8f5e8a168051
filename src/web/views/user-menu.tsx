/** @jsxImportSource hono/jsx */
/** Who is signed in, a link to the users page for superusers, and the sign-out button. */
import { CsrfField } from './csrf-field.tsx';

export interface UserMenuProps {
  user?: { username: string; isSuperuser: boolean } | null;
  /** The session's CSRF token, for the sign-out form. */
  csrfToken?: string;
}

/** A sign-in link when nobody is signed in. */
export function UserMenu(props: UserMenuProps) {
  if (!props.user)
    return (
      <nav class="user-menu" aria-label="Account">
        <a href="/login/" class="sign-in">
          Sign in
        </a>
      </nav>
    );
  return (
    <nav class="user-menu" aria-label="Account">
      <span class="user-menu-name">
        Signed in as <strong>{props.user.username}</strong>
      </span>
      {props.user.isSuperuser ? <a href="/admin/users">Users</a> : null}
      <form method="post" action="/logout/" class="user-menu-logout">
        <CsrfField token={props.csrfToken ?? ''} />
        <button type="submit">Sign out</button>
      </form>
    </nav>
  );
}
