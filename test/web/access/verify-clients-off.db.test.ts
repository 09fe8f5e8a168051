/**
 * VERIFY_CLIENTS off with the default REQUIRE_LOGIN: agents never sign in, so their reports,
 * deletions and /auth-check pass without a certificate or a session, are recorded under the name the
 * URL gives, and are logged with the sender's address; reads (pages, JSON) still need the sign-in.
 * On both dialects.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../helpers/databases.ts';
import { readOwnerState } from '../../helpers/package-state.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const HOST = 'agent1.example.org';
const IMAGE = 'registry.example.org/tools:1.0';
const report = (installed: { name: string; version: string; source: string }[]) =>
  JSON.stringify({
    hostname: HOST,
    os: 'Debian 12',
    running_kernel: { release: '6.1.0-1-amd64', version: '#1 SMP Debian 6.1.1-1' },
    update_type: 'full',
    installed,
  });
const imageReport = JSON.stringify({
  image_name: IMAGE,
  os: 'Debian 12',
  update_type: 'full',
  installed: [{ name: 'bash', version: '5.2-1', source: 'bash' }],
});

for (const kind of DIALECTS) {
  describe(`VERIFY_CLIENTS off, REQUIRE_LOGIN on, on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, config: { VERIFY_CLIENTS: false, REQUIRE_LOGIN: true } });
    });
    afterAll(async () => {
      await t?.drop();
    });

    test('a host report without certificate or session lands, under the name of its URL', async () => {
      const response = await t.request(`/hosts/${HOST}/update`, {
        method: 'POST',
        body: report([{ name: 'bash', version: '5.2-1', source: 'bash' }]),
      });
      expect(response.status).toBe(201);
      const state = await readOwnerState(t.database, 'host', HOST);
      expect(state?.rows).toEqual([['bash', '5.2-1', null, null]]);
    });

    test('the log line of the report says no certificate was checked, and from where it came', () => {
      const line = t.log.lines.find((text) => text.includes(`host ${HOST} report (full)`));
      expect(line).toContain('(from 127.0.0.1, no certificate checked: VERIFY_CLIENTS is off)');
    });

    test('a report still must name the host of its URL', async () => {
      const response = await t.request('/hosts/other.example.org/update', {
        method: 'POST',
        body: report([]),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(
        `URL host 'other.example.org' and POST payload hostname '${HOST}' do not match`,
      );
    });

    test('/auth-check answers 200 instead of sending the agent to the sign-in page', async () => {
      const response = await t.request('/auth-check');
      expect([response.status, await response.text()]).toEqual([200, 'OK']);
    });

    test('image and Kubernetes reports pass too', async () => {
      const image = await t.request(`/images/${IMAGE}/update`, { method: 'POST', body: imageReport });
      expect(image.status).toBe(201);
      const kubernetes = await t.request('/kubernetes/update', {
        method: 'POST',
        body: JSON.stringify({ cluster: 'c1', images: {} }),
      });
      expect(kubernetes.status).toBe(201);
    });

    test('reads still need the sign-in: the host page and its JSON', async () => {
      for (const headers of [{}, { Accept: 'application/json' }] as Record<string, string>[]) {
        const response = await t.request(`/hosts/${HOST}`, { headers });
        expect(response.status).toBe(302);
        expect(response.headers.get('Location')).toStartWith('/login/');
      }
      expect((await t.request('/hosts/')).status).toBe(302);
    });

    test('the host is deleted on DELETE, logged with its sender', async () => {
      const response = await t.request(`/hosts/${HOST}`, { method: 'DELETE' });
      expect(response.status).toBe(204);
      expect(await readOwnerState(t.database, 'host', HOST)).toBeUndefined();
      expect(t.log.lines.some((text) => text.includes(`host ${HOST} deleted (from 127.0.0.1,`))).toBe(true);
    });
  });
}

describe('VERIFY_CLIENTS on (the default) keeps the certificate check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { VERIFY_CLIENTS: true, REQUIRE_LOGIN: true } });
  });
  afterAll(async () => {
    await t?.drop();
  });

  test('a report without certificate is refused, and report lines carry no sender note', async () => {
    const refused = await t.request(`/hosts/${HOST}/update`, { method: 'POST', body: report([]) });
    expect([refused.status, await refused.text()]).toEqual([403, "Client certificate validation failed: ''"]);
    const accepted = await t.request(`/hosts/${HOST}/update`, {
      method: 'POST',
      body: report([]),
      headers: { 'X-Client-Cert-Verify': 'SUCCESS', 'X-Client-Cert-Subject-DN': `CN=${HOST}` },
    });
    expect(accepted.status).toBe(201);
    const line = t.log.lines.find((text) => text.includes(`host ${HOST} report (full)`));
    expect(line).toBeDefined();
    expect(line).not.toContain('no certificate checked');
  });
});
