/** Upstream's APPEND_SLASH redirect (spec §3.1; checklist §8.1 item 14). */
import { describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import type { AppEnv } from '../../../src/web/env.ts';
import { appendSlash } from '../../../src/web/middleware/append-slash.ts';

describe('appendSlash', () => {
  const app = new Hono<AppEnv>();
  app.use(appendSlash((path) => app.routes.some((r) => r.path === path && r.method === 'GET')));
  app.get('/hosts/', (c) => c.text('hosts'));
  app.get('/hosts/:name', (c) => (c.req.param('name') === 'h1' ? c.text('h1') : c.notFound()));

  test('GET /hosts → 301 to /hosts/ (14)', async () => {
    const response = await app.request('/hosts?x=1');
    expect(response.status).toBe(301);
    expect(response.headers.get('Location')).toBe('/hosts/?x=1');
  });
  test('a missing detail page stays 404', async () => {
    expect((await app.request('/hosts/missing')).status).toBe(404);
  });
  test('other methods are not redirected', async () => {
    expect((await app.request('/hosts', { method: 'POST' })).status).toBe(404);
  });
});
