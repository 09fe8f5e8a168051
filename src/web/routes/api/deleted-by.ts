/** Who a tombstone says deleted a host or image through the API (docs/history.md). */
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';

/** `API (certificate <CN>)` for a client certificate, `user <name>` for a signed-in person, else `API`. */
export function deletedBy(c: Context<AppEnv>): string {
  const cn = c.var.host?.commonName;
  if (cn) return `API (certificate ${cn})`;
  const user = c.var.user?.username;
  return user ? `user ${user}` : 'API';
}
