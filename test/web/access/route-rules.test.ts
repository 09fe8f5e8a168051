/** Every route of the app declares an access rule, and a route that does not is refused at run time. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { findUnruledRoutes } from '../../../src/web/access/guard.ts';
import { describeRule } from '../../../src/web/access/rules.tsx';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

describe('route rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.drop());

  /** `METHOD path → rule` for every route of the app, from its registered handlers. */
  function listRouteRules(): Map<string, string> {
    const rules = new Map<string, string>();
    for (const route of t.app.routes) {
      const name = describeRule(route.handler);
      if (name) rules.set(`${route.method} ${route.path}`, name);
    }
    return rules;
  }

  test('every handler of every route comes after an access rule', () => {
    const handlers = t.app.routes.filter((route) => route.path !== '/*');
    expect(handlers.length).toBeGreaterThan(30);
    expect(findUnruledRoutes(t.app.routes)).toEqual([]);
  });

  test('each protected route has the rule it should', () => {
    const rules = listRouteRules();
    expect(Object.fromEntries(rules)).toMatchObject({
      'ALL /hosts/:name/update': 'host-certificate',
      'ALL /hosts/:name': 'host-detail',
      'ALL /images/:name{.+}': 'image',
      'ALL /kubernetes/update': 'kubernetes-certificate',
      'ALL /auth-check': 'any-certificate',
      'ALL /hosts/:name/certificate': 'own-certificate',
      'ALL /enroll': 'anyone',
      'ALL /enroll/ca': 'anyone',
      'GET /hosts/': 'signed-in',
      'GET /hosts/:name': 'signed-in',
      'GET /': 'signed-in',
      'GET /admin/users': 'superuser',
      'POST /admin/users': 'superuser',
      'GET /healthz': 'anyone',
      'GET /metrics': 'metrics-token',
      'GET /login/': 'anyone',
      'POST /login/': 'anyone',
    });
    expect(rules.get('GET /export/:file{[a-z-]+\\.(?:csv|json)}')).toBe('signed-in');
    const open = [...rules].filter(([, rule]) => rule === 'anyone').map(([route]) => route);
    for (const route of open) expect(route).toMatch(/ \/(healthz|static\/|client|login\/|logout\/|enroll)/);
  });

  test('a handler registered without a rule is refused, not served', async () => {
    const other = await createTestApp();
    const app = other.app;
    app.get('/forgotten', (c) => c.text('secret'));
    expect(findUnruledRoutes(app.routes).map((route) => route.path)).toEqual(['/forgotten']);
    const response = await app.request('http://localhost/forgotten', {}, { remoteAddress: '127.0.0.1' });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('secret');
    expect(other.log.lines.join('\n')).toContain('no access rule for route GET /forgotten');
    await other.drop();
  });
});
