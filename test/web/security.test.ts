/** Security headers, the CSP (no inline script or style anywhere), static assets and ALLOWED_HOSTS. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { listAssets } from '../../src/web/assets.ts';
import { selectAll } from '../helpers/html.ts';
import { IMAGENAME } from '../helpers/reference-fixture.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const PAGES = [
  '/',
  '/hosts/',
  '/hosts/host1.example.com',
  '/kernels/',
  '/kernels/1_os1-100-1',
  '/packages/',
  '/packages/package1',
  '/source-packages/',
  '/source-packages/package1',
  '/images/',
  `/images/${IMAGENAME}`,
  '/kubernetes/',
  '/search?q=package',
  '/search?q=a',
  '/no-such-page',
];

describe('security headers and assets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ fixture: true });
  });
  afterAll(async () => t?.drop());

  test('every page carries the headers of spec §4.5 and a CSP without inline allowances', async () => {
    for (const path of PAGES) {
      const response = await t.request(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-xss-protection')).toBe('1; mode=block');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  test('no page has inline script, inline style, style attributes or event handlers', async () => {
    for (const path of PAGES) {
      const html = await (await t.request(path)).text();
      const scripts = await selectAll(html, 'script');
      expect(scripts.length).toBe(1);
      expect(scripts.every((script) => script.attrs.src?.startsWith('/static/') && script.text === '')).toBe(
        true,
      );
      expect(await selectAll(html, 'style')).toEqual([]);
      expect(await selectAll(html, '[style]')).toEqual([]);
      const all = await selectAll(html, '*');
      const handlers = all.flatMap((element) =>
        Object.keys(element.attrs).filter((name) => /^on/i.test(name)),
      );
      expect(handlers).toEqual([]);
      expect(html).not.toMatch(/\bhx-on|javascript:/);
      const config = await selectAll(html, 'meta[name="htmx-config"]');
      expect(JSON.parse(config[0]?.attrs.content ?? '{}')).toMatchObject({
        includeIndicatorStyles: false,
        allowEval: false,
      });
    }
  });

  test('assets are linked by content-hashed URLs and cached for a year', async () => {
    const html = await (await t.request('/')).text();
    const urls = [
      ...(await selectAll(html, 'script')).map((script) => script.attrs.src ?? ''),
      ...(await selectAll(html, 'link[rel="stylesheet"], link[rel="icon"]')).map(
        (link) => link.attrs.href ?? '',
      ),
    ];
    expect(urls).toHaveLength(3);
    for (const url of urls) {
      expect(url).toMatch(/^\/static\/[a-z]+\.[0-9a-f]{12}\.(js|css|svg)$/);
      const response = await t.request(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const etag = response.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{12}"$/);
      const again = await t.request(url, { headers: { 'If-None-Match': etag ?? '' } });
      expect(again.status).toBe(304);
    }
    const htmx = listAssets().find((asset) => asset.name === 'htmx.js');
    const body = await (await t.request(htmx?.url ?? '')).text();
    expect(body).toContain('htmx');
    const gzipped = await t.request(htmx?.url ?? '', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect((await t.request('/static/htmx.000000000000.js')).status).toBe(404);
  });
});

describe('ALLOWED_HOSTS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { ALLOWED_HOSTS: ['debmonitor.example.org', '.example.net'] } });
  });
  afterAll(async () => t?.drop());

  test('a listed host, with or without port, is served', async () => {
    expect((await t.request('http://debmonitor.example.org/hosts/')).status).toBe(200);
    expect((await t.request('http://debmonitor.example.org:8443/hosts/')).status).toBe(200);
    expect((await t.request('http://a.example.net/hosts/')).status).toBe(200);
  });

  test('another host gets 400', async () => {
    const response = await t.request('http://evil.example.com/hosts/');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('ALLOWED_HOSTS');
  });
});
