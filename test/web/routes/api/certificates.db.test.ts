/**
 * POST /enroll, GET /enroll/ca and POST /hosts/<name>/certificate on both dialects: which tokens
 * sign which names, every refusal and its text, that a refusal issues nothing, the race for a
 * token's last use, and renewal with the host's own certificate only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sha256Hex } from '../../../../src/lib/tokens.ts';
import { x509 } from '../../../../src/lib/x509.ts';
import { pkiPaths } from '../../../../src/pki/pki-files.ts';
import { MAX_ENROLL_BYTES } from '../../../../src/protocol/enrollment.ts';
import { findEnrollToken } from '../../../../src/store/pki/enroll-tokens.ts';
import { listIssuedCertificates } from '../../../../src/store/pki/issued-certificates.ts';
import { ENROLL_FAILURE_LIMIT } from '../../../../src/web/pki/enroll-throttle.ts';
import { DIALECTS } from '../../../helpers/databases.ts';
import { addToken, createTestAuthority, makeRequest, opensslVerify } from '../../../helpers/pki.ts';
import { createTestApp, type TestApp } from '../../../helpers/test-app.ts';

for (const kind of DIALECTS) {
  describe(`certificate endpoints (${kind})`, () => {
    let t: TestApp;
    let pkiDir: string;
    beforeAll(async () => {
      pkiDir = (await createTestAuthority()).dir;
      t = await createTestApp({
        kind,
        config: { PKI_DIR: pkiDir, VERIFY_CLIENTS: true, PROXY_HOSTS: ['orchestrator.example.org'] },
      });
    });
    afterAll(() => t.drop());

    /** POSTs an enrollment from `address` (each test its own, so the throttle of one spares the others). */
    async function enroll(body: Record<string, unknown>, address = '192.0.2.1') {
      const response = await t.request(
        '/enroll',
        { method: 'POST', body: JSON.stringify(body) },
        { remoteAddress: address },
      );
      return { status: response.status, text: await response.text() };
    }

    async function issuedNames(): Promise<string[]> {
      return (await listIssuedCertificates(t.database)).map((row) => row.commonName);
    }

    describe('a token signs the names its pattern allows', () => {
      test('a matching name gets a certificate that openssl verifies, for its own key only', async () => {
        const token = await addToken(t.database, { hosts: '*.example.org' });
        const { csr, keys } = await makeRequest('web1.example.org');
        const answer = await enroll({ token, hostname: 'web1.example.org', csr });
        expect(answer.status).toBe(201);
        const { certificate, ca } = JSON.parse(answer.text) as { certificate: string; ca: string };
        expect(ca).toBe(await Bun.file(pkiPaths(pkiDir).caCert).text());
        expect(opensslVerify(pkiPaths(pkiDir).caCert, certificate).ok).toBe(true);
        const parsed = new x509.X509Certificate(certificate);
        expect(parsed.subject).toBe('CN=web1.example.org');
        const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
        expect(new Uint8Array(parsed.publicKey.rawData)).toEqual(spki);
        expect(await issuedNames()).toContain('web1.example.org');
      });

      test('a name outside the pattern is refused, and nothing is issued or used', async () => {
        const token = await addToken(t.database, { hosts: '*.example.org' });
        const { csr } = await makeRequest('db1.example.com');
        const answer = await enroll({ token, hostname: 'db1.example.com', csr }, '192.0.2.2');
        expect(answer).toEqual({
          status: 403,
          text: "Enrollment refused: the token does not allow 'db1.example.com' (it allows '*.example.org')",
        });
        expect(await issuedNames()).not.toContain('db1.example.com');
        expect((await findEnrollToken(t.database, sha256Hex(token)))?.usesLeft).toBe(1);
      });

      test("the request's CN must be the name asked for", async () => {
        const token = await addToken(t.database);
        const { csr } = await makeRequest('other.example.org');
        const answer = await enroll({ token, hostname: 'web2.example.org', csr }, '192.0.2.3');
        expect(answer).toEqual({
          status: 400,
          text: "Unable to enroll 'web2.example.org': the certificate request's CN 'other.example.org' is not the host name",
        });
        expect((await findEnrollToken(t.database, sha256Hex(token)))?.usesLeft).toBe(1);
      });

      test('a request whose signature does not verify is refused', async () => {
        const token = await addToken(t.database);
        const { csr } = await makeRequest('web3.example.org');
        const der = new Uint8Array(x509.PemConverter.decode(csr)[0] as ArrayBuffer);
        der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff; // inside the signature
        const broken = x509.PemConverter.encode(der.buffer, 'CERTIFICATE REQUEST');
        const answer = await enroll({ token, hostname: 'web3.example.org', csr: broken }, '192.0.2.4');
        expect(answer.status).toBe(400);
        expect(answer.text).toStartWith("Unable to enroll 'web3.example.org': ");
        expect(await issuedNames()).not.toContain('web3.example.org');
      });

      test('a name that is not a host name is refused', async () => {
        const token = await addToken(t.database);
        const { csr } = await makeRequest('a,b');
        const answer = await enroll({ token, hostname: 'a,O=evil', csr }, '192.0.2.5');
        expect(answer).toEqual({
          status: 400,
          text: "Unable to enroll 'a,O=evil': not a host name (letters, digits, hyphens and dots)",
        });
      });
    });

    describe('tokens that cannot be used are refused with a clear message, and nothing is issued', () => {
      test('unknown', async () => {
        const { csr } = await makeRequest('u1.example.org');
        expect(
          await enroll({ token: 'no-such-token', hostname: 'u1.example.org', csr }, '192.0.2.10'),
        ).toEqual({
          status: 403,
          text: 'Enrollment refused: unknown token',
        });
        expect(await issuedNames()).not.toContain('u1.example.org');
      });

      test('expired', async () => {
        const expires = new Date(Date.now() - 60_000);
        const token = await addToken(t.database, { expires });
        const { csr } = await makeRequest('u2.example.org');
        expect(await enroll({ token, hostname: 'u2.example.org', csr }, '192.0.2.11')).toEqual({
          status: 403,
          text: `Enrollment refused: the token expired at ${expires.toISOString()}`,
        });
        expect(await issuedNames()).not.toContain('u2.example.org');
      });

      test('used up', async () => {
        const token = await addToken(t.database, { uses: 1 });
        const first = await makeRequest('u3.example.org');
        expect(
          (await enroll({ token, hostname: 'u3.example.org', csr: first.csr }, '192.0.2.12')).status,
        ).toBe(201);
        const second = await makeRequest('u4.example.org');
        expect(await enroll({ token, hostname: 'u4.example.org', csr: second.csr }, '192.0.2.12')).toEqual({
          status: 403,
          text: 'Enrollment refused: the token has no use left',
        });
        expect(await issuedNames()).not.toContain('u4.example.org');
      });
    });

    test('two hosts enrolling at once with a one-use token: exactly one gets a certificate', async () => {
      const token = await addToken(t.database, { uses: 1 });
      const [a, b] = await Promise.all([
        makeRequest('race-a.example.org'),
        makeRequest('race-b.example.org'),
      ]);
      const answers = await Promise.all([
        enroll({ token, hostname: 'race-a.example.org', csr: a.csr }, '192.0.2.20'),
        enroll({ token, hostname: 'race-b.example.org', csr: b.csr }, '192.0.2.21'),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 403]);
      expect(answers.find((answer) => answer.status === 403)?.text).toBe(
        'Enrollment refused: the token has no use left',
      );
      const names = await issuedNames();
      expect(names.filter((name) => name.startsWith('race-'))).toHaveLength(1);
      expect((await findEnrollToken(t.database, sha256Hex(token)))?.usesLeft).toBe(0);
    });

    test('a token of several uses serves that many hosts at once', async () => {
      const token = await addToken(t.database, { uses: 3, hosts: 'fleet-?.example.org' });
      const requests = await Promise.all([1, 2, 3, 4].map((n) => makeRequest(`fleet-${n}.example.org`)));
      const answers = await Promise.all(
        requests.map((request, n) =>
          enroll({ token, hostname: `fleet-${n + 1}.example.org`, csr: request.csr }, '192.0.2.30'),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 201, 403]);
    });

    test('bodies: a wrong method, a schema problem and an oversized body', async () => {
      expect((await t.request('/enroll')).status).toBe(405);
      const missing = await enroll({ hostname: 'x.example.org' }, '192.0.2.40');
      expect(missing.status).toBe(400);
      expect(missing.text).toStartWith('Unable to enroll: token: ');
      const huge = await enroll(
        { token: 't', hostname: 'x.example.org', csr: 'x'.repeat(MAX_ENROLL_BYTES) },
        '192.0.2.41',
      );
      expect(huge).toEqual({
        status: 413,
        text: `Payload too large: the body exceeds ${MAX_ENROLL_BYTES} bytes`,
      });
    });

    test('an address with too many refusals is held back for a while', async () => {
      const { csr } = await makeRequest('t1.example.org');
      for (let n = 0; n < ENROLL_FAILURE_LIMIT; n++) {
        expect(
          (await enroll({ token: `guess-${n}`, hostname: 't1.example.org', csr }, '192.0.2.50')).status,
        ).toBe(403);
      }
      const token = await addToken(t.database);
      const throttled = await enroll({ token, hostname: 't1.example.org', csr }, '192.0.2.50');
      expect(throttled).toEqual({
        status: 429,
        text: 'Too many refused enrollments from this address: wait 15 minutes and try again',
      });
      expect((await enroll({ token, hostname: 't1.example.org', csr }, '192.0.2.51')).status).toBe(201);
    });

    test('GET /enroll/ca answers the CA certificate', async () => {
      const response = await t.request('/enroll/ca');
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(await Bun.file(pkiPaths(pkiDir).caCert).text());
    });

    describe('renewal', () => {
      /** A request from behind the trusted proxy, with its certificate headers. */
      function renew(name: string, csr: string, subjectDn: string) {
        return t.request(`/hosts/${name}/certificate`, {
          method: 'POST',
          body: JSON.stringify({ csr }),
          headers: { 'X-Client-Cert-Verify': 'SUCCESS', 'X-Client-Cert-Subject-DN': subjectDn },
        });
      }

      test("the host's own certificate gets a new one for a new key", async () => {
        const { csr } = await makeRequest('r1.example.org');
        const response = await renew('r1.example.org', csr, 'CN=r1.example.org');
        expect(response.status).toBe(201);
        const { certificate } = (await response.json()) as { certificate: string };
        expect(opensslVerify(pkiPaths(pkiDir).caCert, certificate).ok).toBe(true);
        const rows = (await listIssuedCertificates(t.database)).filter(
          (row) => row.commonName === 'r1.example.org',
        );
        expect(rows.map((row) => row.origin)).toEqual(['renewal']);
      });

      test("another host's certificate, even one in PROXY_HOSTS, is refused", async () => {
        const { csr } = await makeRequest('r2.example.org');
        const response = await renew('r2.example.org', csr, 'CN=r3.example.org');
        expect(response.status).toBe(403);
        expect(await response.text()).toBe(
          "Unauthorized to modify host 'r2.example.org' with certificate 'CN=r3.example.org'",
        );
      });

      test('a request for another name than the URL is refused', async () => {
        const { csr } = await makeRequest('r5.example.org');
        const response = await renew('r4.example.org', csr, 'CN=r4.example.org');
        expect(response.status).toBe(400);
        expect(await response.text()).toBe(
          "Unable to renew the certificate of 'r4.example.org': the certificate request's CN 'r5.example.org' is not the host name",
        );
      });

      test('no certificate at all is refused', async () => {
        const { csr } = await makeRequest('r6.example.org');
        const response = await t.request('/hosts/r6.example.org/certificate', {
          method: 'POST',
          body: JSON.stringify({ csr }),
        });
        expect(response.status).toBe(403);
      });
    });
  });
}

describe('a server without a CA of its own', () => {
  test('answers 503 with how to make one, and its other routes work as before', async () => {
    const t = await createTestApp({ config: { PKI_DIR: '/nonexistent/pki' } });
    try {
      const { csr } = await makeRequest('h.example.org');
      const response = await t.request('/enroll', {
        method: 'POST',
        body: JSON.stringify({ token: 'x', hostname: 'h.example.org', csr }),
      });
      expect(response.status).toBe(503);
      expect(await response.text()).toBe(
        'This server has no built-in CA: debmonitor-server pki init creates one',
      );
      expect((await t.request('/healthz')).status).toBe(200);
    } finally {
      await t.drop();
    }
  });
});
