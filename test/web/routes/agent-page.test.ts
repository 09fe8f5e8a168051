import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const DEPLOY = resolve(import.meta.dir, '../../../deploy/agent');
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-agent-page-'));
let app: TestApp;
let html = '';
const bytes = new TextEncoder().encode('#!/bin/sh\nx="@(#)debmonitor 4.5.6"\n');
const sum = new Bun.CryptoHasher('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  writeFileSync(join(dir, 'debmonitor-linux-arm64'), bytes);
  app = await createTestApp({ config: { AGENTS_DIR: dir } });
  const response = await app.request('https://debmonitor.example.org/agent/', {
    headers: { 'X-Forwarded-Proto': 'https' },
  });
  expect(response.status).toBe(200);
  html = await response.text();
});
afterAll(async () => {
  await app.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The text of the page as a browser shows it (entities decoded). */
function readText(): string {
  return html
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&gt;', '>')
    .replaceAll('&lt;', '<')
    .replaceAll('&amp;', '&');
}

describe('GET /agent/', () => {
  test('X-Forwarded-Proto is believed from trusted proxies only', async () => {
    const fromStranger = await app.request(
      'http://debmonitor.example.org/agent/',
      { headers: { 'X-Forwarded-Proto': 'https' } },
      { remoteAddress: '203.0.113.9' },
    );
    expect(await fromStranger.text()).toContain('http://debmonitor.example.org/client/arm64');
  });

  test('lists the builds found with their versions and checksums', () => {
    expect(html).toContain('<td>4.5.6</td>');
    expect(html).toContain(sum);
  });
  test('names the architectures with no binary and where the server looked', () => {
    expect(html).toContain(
      `Not available: x64, x64-baseline (no file in ${dir}; put the agent builds there, or unset AGENTS_DIR)`,
    );
  });
  test('gives download commands with the server URL and the checksum check', () => {
    expect(readText()).toContain(
      "curl -fsS --compressed -o /usr/local/bin/debmonitor.new 'https://debmonitor.example.org/client/arm64'",
    );
    expect(readText()).toContain(`echo '${sum}  /usr/local/bin/debmonitor.new' | sha256sum -c -`);
  });
  test('embeds the deployment files verbatim', () => {
    for (const file of ['apt-hook.conf', 'debmonitor.service', 'debmonitor.timer', 'debmonitor.cron']) {
      expect(readText()).toContain(readFileSync(join(DEPLOY, file), 'utf8').trimEnd());
    }
  });
  test('redirects /agent to /agent/', async () => {
    const response = await app.request('/agent');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/agent/');
  });
});
