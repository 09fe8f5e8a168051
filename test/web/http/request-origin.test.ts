/** Proxy headers are believed only from TRUSTED_PROXIES. */
import { describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import { parseConfig } from '../../../src/config/load-config.ts';
import type { AppEnv } from '../../../src/web/env.ts';
import {
  clientAddress,
  headerNameFromWsgi,
  isSecureRequest,
  isTrustedProxy,
  publicOrigin,
} from '../../../src/web/http/request-origin.ts';

function probe(config: Record<string, unknown> = {}) {
  const app = new Hono<AppEnv>();
  const parsed = parseConfig(config, () => {});
  app.get('*', (c) => {
    c.set('config', parsed);
    return c.json({ secure: isSecureRequest(c), origin: publicOrigin(c), client: clientAddress(c) });
  });
  return async (url: string, headers: Record<string, string>, remoteAddress: string) =>
    (await app.request(url, { headers }, { remoteAddress })).json();
}

describe('headerNameFromWsgi', () => {
  test('turns WSGI names into header names', () => {
    expect(headerNameFromWsgi('HTTP_X_FORWARDED_PROTO')).toBe('X-Forwarded-Proto');
    expect(headerNameFromWsgi('HTTP_X_SCHEME')).toBe('X-Scheme');
  });
});

describe('isTrustedProxy', () => {
  test('matches IPv4-mapped IPv6 peers to IPv4 entries', () => {
    expect(isTrustedProxy(['127.0.0.1'], '::ffff:127.0.0.1')).toBe(true);
    expect(isTrustedProxy(['127.0.0.1'], '127.0.0.2')).toBe(false);
    expect(isTrustedProxy(['127.0.0.1'], '')).toBe(false);
  });
});

describe('from a trusted proxy', () => {
  const request = probe();
  test('X-Forwarded-Proto, -Host and -For are believed', async () => {
    const answer = await request(
      'http://127.0.0.1:8080/x',
      {
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'dm.example.org',
        'X-Forwarded-For': '198.51.100.4, 127.0.0.1',
      },
      '127.0.0.1',
    );
    expect(answer).toEqual({ secure: true, origin: 'https://dm.example.org', client: '198.51.100.4' });
  });
  test('the client is the right-most untrusted hop, not what the client wrote first', async () => {
    const answer = await request('http://h/x', { 'X-Forwarded-For': '6.6.6.6, 198.51.100.4' }, '127.0.0.1');
    expect(answer.client).toBe('198.51.100.4');
  });
  test('an appending proxy: the value it added (the last) wins, not what the client wrote first', async () => {
    const answer = await request(
      'http://h/x',
      { 'X-Forwarded-Proto': 'https, http', 'X-Forwarded-Host': 'evil.example.com, dm.example.org' },
      '127.0.0.1',
    );
    expect(answer).toMatchObject({ secure: false, origin: 'http://dm.example.org' });
  });
  test('a configured header name is used', async () => {
    const custom = probe({ SECURE_PROXY_SSL_HEADER: 'HTTP_X_SCHEME' });
    expect((await custom('http://h/x', { 'X-Scheme': 'https' }, '127.0.0.1')).secure).toBe(true);
    expect((await custom('http://h/x', { 'X-Forwarded-Proto': 'https' }, '127.0.0.1')).secure).toBe(false);
  });
});

describe('from anyone else', () => {
  test('the headers are ignored', async () => {
    const answer = await probe()(
      'http://localhost/x',
      { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example.com', 'X-Forwarded-For': '1.2.3.4' },
      '203.0.113.9',
    );
    expect(answer).toEqual({ secure: false, origin: 'http://localhost', client: '203.0.113.9' });
  });
});
