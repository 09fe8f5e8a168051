/** @jsxImportSource hono/jsx */
/** The superusers' page of accounts: list, create, reset a password, disable or enable. */
import { CsrfField } from './csrf-field.tsx';
import { Layout } from './layout.tsx';

export interface UserRow {
  id: number;
  username: string;
  hasPassword: boolean;
  isActive: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
}

export interface UsersPageProps {
  users: UserRow[];
  currentUser: { id: number; username: string; isSuperuser: boolean };
  csrfToken: string;
  /** What the last action did. */
  notice?: string;
  /** What was wrong with the last action. */
  errors?: string[];
  /** The name typed in the create form, kept after an error. */
  newUsername?: string;
}

function formatLogin(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never';
}

/** The users page. */
export function UsersPage(props: UsersPageProps) {
  const token = props.csrfToken;
  return (
    <Layout title="Users" user={props.currentUser} csrfToken={token}>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.errors && props.errors.length > 0 ? (
        <ul class="form-error" role="alert">
          {props.errors.map((error) => (
            <li>{error}</li>
          ))}
        </ul>
      ) : null}
      <table class="users responsive">
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Status</th>
            <th>Last sign-in</th>
            <th>New password</th>
            <th>Access</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((user) => (
            <tr data-username={user.username}>
              <td data-label="Username">{user.username}</td>
              <td data-label="Role">{user.isSuperuser ? 'superuser' : 'user'}</td>
              <td data-label="Status">{user.isActive ? 'active' : 'disabled'}</td>
              <td data-label="Last sign-in">{formatLogin(user.lastLogin)}</td>
              <td data-label="New password">
                <form method="post" action={`/admin/users/${user.id}/password`}>
                  <CsrfField token={token} />
                  <input
                    type="password"
                    name="password"
                    autocomplete="new-password"
                    aria-label={`New password for ${user.username}`}
                    required
                  />
                  <button type="submit">{user.hasPassword ? 'Reset' : 'Set'}</button>
                </form>
              </td>
              <td data-label="Access">
                {user.id === props.currentUser.id ? (
                  'you'
                ) : (
                  <form method="post" action={`/admin/users/${user.id}/active`}>
                    <CsrfField token={token} />
                    <input type="hidden" name="active" value={user.isActive ? '0' : '1'} />
                    <button type="submit">{user.isActive ? 'Disable' : 'Enable'}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>New user</h3>
      <form method="post" action="/admin/users" class="new-user">
        <CsrfField token={token} />
        <label>
          Username
          <input type="text" name="username" value={props.newUsername ?? ''} autocapitalize="none" required />
        </label>
        <label>
          Password
          <input type="password" name="password" autocomplete="new-password" required />
        </label>
        <label>
          <input type="checkbox" name="superuser" value="1" /> Superuser
        </label>
        <button type="submit">Create</button>
      </form>
    </Layout>
  );
}
