/**
 * The agent page's one-line enrollment (README, "Quickstart"): a superuser creates a one-use token
 * with a CSRF-checked POST and gets the command with this server's agent address (port kept) and
 * its CA's fingerprint; nobody else can. The `server=` line of the configuration keeps the port.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/lib/tokens.ts';
import { ensureLocalCa } from '../../../src/pki/local-ca.ts';
import { pkiPaths } from '../../../src/pki/pki-files.ts';
import { findEnrollToken } from '../../../src/store/pki/enroll-tokens.ts';
import { decodeEntities } from '../../helpers/html.ts';
import { addUser, getPage, postForm, readCsrfField, signIn } from '../../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-agent-enroll-'));
const pkiDir = join(dir, 'pki');
const agentsDir = join(dir, 'agents');
let app: TestApp;
let fingerprint = '';

beforeAll(async () => {
  Bun.spawnSync(['mkdir', '-p', agentsDir]);
  writeFileSync(join(agentsDir, 'debmonitor-linux-x64'), '#!/bin/sh\nx="@(#)debmonitor 1.2.3"\n');
  const paths = pkiPaths(pkiDir);
  fingerprint = (await ensureLocalCa(paths, async () => ['localhost', '127.0.0.1'])).fingerprint;
  app = await createTestApp({
    config: {
      REQUIRE_LOGIN: true,
      AGENTS_DIR: agentsDir,
      PKI_DIR: pkiDir,
      TLS: { CERT: paths.serverCert, KEY: paths.serverKey, CA: paths.caCert, PORT: 8443 },
    },
  });
  await addUser(app.database, 'root-user', 'a long enough password 1', { isSuperuser: true });
  await addUser(app.database, 'viewer', 'a long enough password 2');
});
afterAll(async () => {
  await app.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The command inside the page's enroll block, as a browser shows it. */
function readCommand(html: string): string | undefined {
  const match = /<code class="enroll-command">([^<]*)<\/code>/.exec(html);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

describe('POST /agent/enroll', () => {
  test("gives a superuser the one-line command: this server's agent port, a one-use token, the CA fingerprint", async () => {
    const { jar } = await signIn(app.request, 'root-user', 'a long enough password 1');
    const page = await getPage(app.request, jar, 'http://debmonitor.example.org:8080/agent/');
    const html = await page.text();
    expect(html).toContain('action="/agent/enroll"');
    expect(readCommand(html)).toBeUndefined();
    const response = await postForm(app.request, jar, 'http://debmonitor.example.org:8080/agent/enroll', {
      csrf_token: readCsrfField(html, '/agent/enroll'),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const command = readCommand(await response.text()) ?? '';
    const token = /--token (\S+)/.exec(command)?.[1] ?? '';
    expect(command).toBe(
      "curl -fsS --compressed -o debmonitor 'http://debmonitor.example.org:8080/client/x64' && chmod 0755 debmonitor && " +
        `./debmonitor --enroll --server 'debmonitor.example.org:8443' --token ${token} --ca-fingerprint ${fingerprint} && ./debmonitor`,
    );
    const stored = await findEnrollToken(app.database, sha256Hex(token));
    expect(stored?.usesLeft).toBe(1);
    expect(stored?.hostPattern).toBe('*');
    const lifetime = (stored?.expires.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(3500_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);
  });

  test("behind a proxy (no native TLS): the page's host and port, and no fingerprint pin", async () => {
    const proxied = await createTestApp({
      config: { REQUIRE_LOGIN: true, AGENTS_DIR: agentsDir, PKI_DIR: pkiDir },
    });
    try {
      await addUser(proxied.database, 'root-user', 'a long enough password 1', { isSuperuser: true });
      const { jar } = await signIn(proxied.request, 'root-user', 'a long enough password 1');
      const page = await getPage(proxied.request, jar, 'https://debmonitor.example.org/agent/', {
        'X-Forwarded-Proto': 'https',
      });
      const response = await postForm(
        proxied.request,
        jar,
        'https://debmonitor.example.org/agent/enroll',
        { csrf_token: readCsrfField(await page.text(), '/agent/enroll') },
        undefined,
        { 'X-Forwarded-Proto': 'https' },
      );
      const command = readCommand(await response.text()) ?? '';
      expect(command).toContain(
        "curl -fsS --compressed -o debmonitor 'https://debmonitor.example.org/client/x64' && ",
      );
      expect(command).toContain("--server 'debmonitor.example.org' --token ");
      expect(command).not.toContain('--ca-fingerprint');
    } finally {
      await proxied.drop();
    }
  });

  test('refuses a form without the session CSRF token, and creates no token', async () => {
    const { jar } = await signIn(app.request, 'root-user', 'a long enough password 1');
    const response = await postForm(app.request, jar, '/agent/enroll', { csrf_token: 'forged' });
    expect(response.status).toBe(403);
    expect(readCommand(await response.text())).toBeUndefined();
  });

  test('refuses a user who is not a superuser, who sees no form', async () => {
    const { jar } = await signIn(app.request, 'viewer', 'a long enough password 2');
    const html = await (await getPage(app.request, jar, '/agent/')).text();
    expect(html).not.toContain('action="/agent/enroll"');
    expect(html).toContain('A superuser can create it here.');
    const response = await postForm(app.request, jar, '/agent/enroll', {
      csrf_token: readCsrfField(html),
    });
    expect(response.status).toBe(403);
    expect(readCommand(await response.text())).toBeUndefined();
  });

  test('sends someone not signed in to the sign-in page', async () => {
    const response = await app.request('/agent/enroll', { method: 'POST' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toStartWith('/login/');
  });
});

describe("the configuration's server= line", () => {
  test('names the native TLS port', async () => {
    const { jar } = await signIn(app.request, 'viewer', 'a long enough password 2');
    const html = await (await getPage(app.request, jar, 'http://debmonitor.example.org:8080/agent/')).text();
    expect(decodeEntities(html)).toContain('\nserver=debmonitor.example.org:8443\n');
  });

  test("keeps the page's port when there is no TLS listener (a proxy)", async () => {
    const plain = await createTestApp({ config: { AGENTS_DIR: agentsDir } });
    try {
      const html = await (await plain.request('http://debmonitor.example.org:8444/agent/')).text();
      expect(decodeEntities(html)).toContain('\nserver=debmonitor.example.org:8444\n');
      expect(html).toContain('This server has no built-in CA');
    } finally {
      await plain.drop();
    }
  });
});
