/** Native TLS with client certificates, with a CA and certificates made by openssl in the test. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../src/web/start-server.ts';
import { formatSubjectDn, startTlsServer } from '../../src/web/tls-server.ts';
import { readOwnerState } from '../helpers/package-state.ts';
import { HOSTNAME } from '../helpers/reference-fixture.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-tls-'));
const file = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  const result = Bun.spawnSync(['openssl', ...args], { cwd: dir, stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
}

/** A key and a certificate for `subject`, signed by `ca` (or self-signed when ca is null). */
function makeCertificate(name: string, subject: string, ca: string | null, extensions?: string): void {
  if (!ca) {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      subject,
    );
    return;
  }
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  const extra = extensions ? ['-extfile', `${name}.ext`] : [];
  if (extensions) writeFileSync(file(`${name}.ext`), extensions);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    ...extra,
  );
}

function send(
  server: RunningServer,
  path: string,
  options: { method?: string; body?: string; client?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolveResponse, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        ca: readFileSync(file('ca.crt')),
        ...(options.client
          ? {
              cert: readFileSync(file(`${options.client}.crt`)),
              key: readFileSync(file(`${options.client}.key`)),
            }
          : {}),
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolveResponse({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('native TLS server', () => {
  let t: TestApp;
  let server: RunningServer;
  beforeAll(async () => {
    makeCertificate('ca', '/CN=Test CA', null);
    makeCertificate('server', '/CN=127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1\n');
    makeCertificate('host1', `/C=US/O=Acme/CN=${HOSTNAME}`, 'ca');
    makeCertificate('rogue-ca', '/CN=Rogue CA', null);
    makeCertificate('rogue', `/CN=${HOSTNAME}`, 'rogue-ca');
    t = await createTestApp({ fixture: true, config: { VERIFY_CLIENTS: true } });
    server = await startTlsServer(t.app, {
      hostname: '127.0.0.1',
      port: 0,
      certPath: file('server.crt'),
      keyPath: file('server.key'),
      caPath: file('ca.crt'),
      maxRequestBodySize: 1024 * 1024,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a certificate from the CA authenticates the host, and its report is applied', async () => {
    expect(await send(server, '/auth-check', { client: 'host1' })).toEqual({ status: 200, body: 'OK' });
    const report = {
      hostname: HOSTNAME,
      os: 'Debian 11',
      running_kernel: { release: 'r', version: 'os1-100-1' },
      update_type: 'full',
      installed: [{ name: 'package1', version: '1.0.0-1', source: 'package1' }],
    };
    const response = await send(server, `/hosts/${HOSTNAME}/update`, {
      method: 'POST',
      body: JSON.stringify(report),
      client: 'host1',
    });
    expect(response.status).toBe(201);
    expect((await readOwnerState(t.database, 'host', HOSTNAME))?.rows).toEqual([
      ['package1', '1.0.0-1', null, null],
    ]);
  });

  test('the certificate of another host may not write this one', async () => {
    const response = await send(server, '/hosts/host2.example.com/update', {
      method: 'POST',
      body: '{}',
      client: 'host1',
    });
    expect(response.status).toBe(403);
    expect(response.body).toBe(
      `Unauthorized to modify host 'host2.example.com' with certificate 'CN=${HOSTNAME},O=Acme,C=US'`,
    );
  });

  test('a certificate from an unknown CA, or none, is refused with 403', async () => {
    const rogue = await send(server, '/auth-check', { client: 'rogue' });
    expect(rogue.status).toBe(403);
    expect(rogue.body).toStartWith("Client certificate validation failed: 'FAILED:");
    const none = await send(server, '/auth-check', {});
    expect(none).toEqual({ status: 403, body: "Client certificate validation failed: 'FAILED:NONE'" });
  });

  test('headers cannot forge a certificate over native TLS', async () => {
    const response = await new Promise<number>((resolveStatus, reject) => {
      const request = httpsRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/auth-check',
          ca: readFileSync(file('ca.crt')),
          headers: { 'X-Client-Cert-Verify': 'SUCCESS', 'X-Client-Cert-Subject-DN': `CN=${HOSTNAME}` },
        },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(response).toBe(403);
  });
});

describe('formatSubjectDn', () => {
  test('puts the most specific attribute first and escapes separators', () => {
    expect(formatSubjectDn('C=US\nO=Acme, Inc\nCN=h1.example.com')).toBe(
      'CN=h1.example.com,O=Acme\\, Inc,C=US',
    );
  });
});
