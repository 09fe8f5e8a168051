/** `GET|HEAD /auth-check` (spec §3.4.7): monitoring's probe of the client-certificate setup. */
import { Hono } from 'hono';
import { methodNotAllowed, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';

export const authCheckRoutes = new Hono<AppEnv>().all('/auth-check', (c) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return methodNotAllowed(c, 'GET, HEAD');
  return plainText(c, 200, 'OK');
});
