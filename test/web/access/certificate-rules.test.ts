/** The certificate rules on a bare app whose routes show what the rule decided. */
import { describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import { parseConfig } from '../../../src/config/load-config.ts';
import { createCertificatePolicy } from '../../../src/web/access/certificate.ts';
import {
  requireAnyCertificate,
  requireHostCertificate,
  requireKubernetesCertificate,
} from '../../../src/web/access/rules.tsx';
import type { AppEnv, ConnectionInfo } from '../../../src/web/env.ts';

function probeApp(settings: Record<string, unknown> = {}) {
  const config = parseConfig({ REQUIRE_LOGIN: false, ...settings }, () => {});
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('config', config);
    c.set('certificatePolicy', createCertificatePolicy(config));
    await next();
  });
  const show = (c: { json(value: unknown): Response; var: AppEnv['Variables'] }) =>
    c.json({ host: c.var.host ?? null });
  app.all(
    '/hosts/:name/update',
    requireHostCertificate((c) => c.req.param('name') ?? ''),
    show,
  );
  app.all('/kubernetes/update', requireKubernetesCertificate, show);
  app.all('/auth-check', requireAnyCertificate, show);
  return (path: string, init: RequestInit = {}, env: Partial<ConnectionInfo> = {}) =>
    app.request(`http://localhost${path}`, init, { remoteAddress: '127.0.0.1', ...env });
}

const cert = (cn: string) => ({
  'X-Client-Cert-Verify': 'SUCCESS',
  'X-Client-Cert-Subject-DN': `CN=${cn},O=Acme`,
});

describe('certificate rules', () => {
  test('does nothing when VERIFY_CLIENTS is false', async () => {
    const response = await probeApp({ VERIFY_CLIENTS: false })('/hosts/h1/update', {
      headers: cert('other'),
    });
    expect(await response.json()).toEqual({ host: null });
  });

  test('sets the host identity when the check passes', async () => {
    const response = await probeApp()('/hosts/h1/update', { headers: cert('h1') });
    expect(await response.json()).toEqual({ host: { commonName: 'h1', subjectDn: 'CN=h1,O=Acme' } });
  });

  test('ignores the headers from a peer that is not a trusted proxy', async () => {
    const response = await probeApp()(
      '/hosts/h1/update',
      { headers: cert('h1') },
      { remoteAddress: '10.0.0.9' },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Client certificate validation failed: ''");
    const trusted = await probeApp({ TRUSTED_PROXIES: ['10.0.0.9'] })(
      '/hosts/h1/update',
      { headers: cert('h1') },
      { remoteAddress: '10.0.0.9' },
    );
    expect(trusted.status).toBe(200);
  });

  test('an IPv4-mapped IPv6 peer is the trusted proxy it maps to, as for X-Forwarded-*', async () => {
    const response = await probeApp({ TRUSTED_PROXIES: ['10.0.0.9'] })(
      '/hosts/h1/update',
      { headers: cert('h1') },
      { remoteAddress: '::ffff:10.0.0.9' },
    );
    expect(response.status).toBe(200);
  });

  test('prefers the certificate of the native-TLS front end over headers', async () => {
    const probe = probeApp();
    const native = await probe(
      '/hosts/h1/update',
      { headers: cert('intruder') },
      { clientCertificate: { verified: true, subjectDn: 'CN=h1' } },
    );
    expect(await native.json()).toEqual({ host: { commonName: 'h1', subjectDn: 'CN=h1' } });
    const refused = await probe(
      '/auth-check',
      { headers: cert('h1') },
      {
        clientCertificate: { verified: false, subjectDn: 'CN=h1', verifyError: 'UNABLE_TO_GET_ISSUER_CERT' },
      },
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe(
      "Client certificate validation failed: 'FAILED:UNABLE_TO_GET_ISSUER_CERT'",
    );
  });

  test('a verified certificate without CN passes /auth-check (24) but not a host URL', async () => {
    const probe = probeApp();
    expect((await probe('/auth-check', { headers: { 'X-Client-Cert-Verify': 'SUCCESS' } })).status).toBe(200);
    const host = await probe('/hosts/h1/update', { headers: { 'X-Client-Cert-Verify': 'SUCCESS' } });
    expect(host.status).toBe(403);
    expect(await host.text()).toBe("Unauthorized to modify host 'h1' with certificate ''");
  });

  test('Kubernetes reports need a CN in PROXY_IMAGES unless KUBERNETES_REQUIRE_PROXY is false (71)', async () => {
    const strict = await probeApp({ PROXY_IMAGES: ['builder'] })('/kubernetes/update', {
      headers: cert('h1'),
    });
    expect(strict.status).toBe(403);
    expect(await strict.text()).toContain('Unauthorized to modify Kubernetes images');
    expect(
      (await probeApp({ PROXY_IMAGES: ['builder'] })('/kubernetes/update', { headers: cert('builder') }))
        .status,
    ).toBe(200);
    expect(
      (await probeApp({ KUBERNETES_REQUIRE_PROXY: false })('/kubernetes/update', { headers: cert('h1') }))
        .status,
    ).toBe(200);
  });

  test('a space after a comma hides the CN (27)', async () => {
    const response = await probeApp()('/hosts/h1/update', {
      headers: { 'X-Client-Cert-Verify': 'SUCCESS', 'X-Client-Cert-Subject-DN': 'O=Acme, CN=h1, C=US' },
    });
    expect(response.status).toBe(403);
  });
});
