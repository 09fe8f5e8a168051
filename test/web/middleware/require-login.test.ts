/** The login requirement honours a passed client-certificate check (c.var.host), spec §4.1 step 4. */
import { describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import { parseConfig } from '../../../src/config/load-config.ts';
import type { AppEnv } from '../../../src/web/env.ts';
import { isOpenPath, requireLogin } from '../../../src/web/middleware/require-login.ts';

function createGuardedApp() {
  const config = parseConfig({ REQUIRE_LOGIN: true }, () => {});
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('config', config);
    c.set('user', null);
    // Stands in for the client-certificate middleware (pipeline step 3).
    if (c.req.header('X-Test-Cert') === 'ok') c.set('host', { commonName: 'host1', subjectDn: 'CN=host1' });
    await next();
  });
  app.use(requireLogin());
  app.post('/hosts/:name/update', (c) => c.body(null, 201));
  return app;
}

describe('requireLogin', () => {
  test('a request whose certificate passed gets through without a session', async () => {
    const response = await createGuardedApp().request('/hosts/host1/update', {
      method: 'POST',
      headers: { 'X-Test-Cert': 'ok' },
    });
    expect(response.status).toBe(201);
  });

  test('the same request without the certificate is sent to sign in', async () => {
    const response = await createGuardedApp().request('/hosts/host1/update', { method: 'POST' });
    expect(response.status).toBe(302);
  });
});

describe('isOpenPath', () => {
  for (const path of ['/healthz', '/client', '/client/arm64', '/static/app.123.css', '/login/', '/logout/']) {
    test(`${path} is open`, () => expect(isOpenPath(path)).toBe(true));
  }
  for (const path of ['/', '/healthz/x', '/clients', '/login', '/login/x', '/admin/users', '/staticx']) {
    test(`${path} is not`, () => expect(isOpenPath(path)).toBe(false));
  }
});
