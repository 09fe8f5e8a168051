/** `GET|HEAD /auth-check`: monitoring's probe of the client-certificate setup (docs/protocol.md). */
import { Hono } from 'hono';
import { requireAnyCertificate } from '../../access/rules.tsx';
import { methodNotAllowed, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';

export const authCheckRoutes = new Hono<AppEnv>().all('/auth-check', requireAnyCertificate, (c) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return methodNotAllowed(c, 'GET, HEAD');
  return plainText(c, 200, 'OK');
});
