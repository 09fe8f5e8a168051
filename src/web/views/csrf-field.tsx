/** @jsxImportSource hono/jsx */
/** The hidden CSRF field every form that writes carries. */

/** The form field the server reads the token from (it also accepts Django's `csrfmiddlewaretoken`). */
export const CSRF_FIELD = 'csrf_token';

/** A hidden input holding the CSRF token. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}
