/** The certificate dimension of the authorization matrix (checklist §8.2, §8.4 item 50), on both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../../helpers/databases.ts';
import { countAllRows, readOwnerState } from '../../../helpers/package-state.ts';
import { HOSTNAME, HOSTS_MODIFIED, IMAGENAME } from '../../../helpers/reference-fixture.ts';
import { createTestApp, type TestApp } from '../../../helpers/test-app.ts';

const cert = (cn: string) => ({ 'X-Client-Cert-Verify': 'SUCCESS', 'X-Client-Cert-Subject-DN': `CN=${cn}` });
const fullReport = JSON.stringify({
  hostname: HOSTNAME,
  os: 'Debian 11',
  running_kernel: { release: 'os1-100-1', version: 'os1-100-1' },
  update_type: 'full',
  installed: [{ name: 'package1', version: '1.0.0-1', source: 'package1' }],
});

for (const kind of DIALECTS) {
  describe(`certificate checks on ${kind} (VERIFY_CLIENTS=true, REQUIRE_LOGIN=false)`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        kind,
        fixture: true,
        config: {
          VERIFY_CLIENTS: true,
          PROXY_HOSTS: ['orchestrator.example.com'],
          PROXY_IMAGES: ['builder.example.com'],
        },
      });
    });
    afterAll(async () => t?.drop());

    test('every API request without certificate → 403, and nothing changes (17, 18, 50)', async () => {
      const before = await countAllRows(t.database);
      const requests: [string, RequestInit][] = [
        [`/hosts/${HOSTNAME}/update`, { method: 'POST', body: fullReport }],
        [`/hosts/${HOSTNAME}/update`, { method: 'POST', body: '' }],
        [`/hosts/${HOSTNAME}/update`, { method: 'POST', body: 'invalid_json' }],
        [`/hosts/${HOSTNAME}/update`, { method: 'GET' }],
        [`/hosts/${HOSTNAME}`, { method: 'DELETE' }],
        ['/hosts/non_existing_host.example.com', { method: 'DELETE' }],
        [`/images/${IMAGENAME}/update`, { method: 'POST', body: '{}' }],
        [`/images/${IMAGENAME}`, { method: 'DELETE' }],
        ['/images/non_existing_image_example', { method: 'DELETE' }],
        [`/images/${IMAGENAME}`, { headers: { Accept: 'application/json' } }],
        ['/kubernetes/update', { method: 'POST', body: '{"cluster": "ClusterA"}' }],
        ['/kubernetes/update', { method: 'POST', body: '[]' }],
        ['/auth-check', {}],
      ];
      for (const [path, init] of requests) {
        const response = await t.request(path, init);
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
        expect(await response.text()).toContain('Client certificate validation failed');
      }
      expect(await countAllRows(t.database)).toEqual(before);
      expect((await readOwnerState(t.database, 'host', HOSTNAME))?.modified).toEqual(HOSTS_MODIFIED);
    });

    test('HTML pages need no certificate (17)', async () => {
      expect((await t.request(`/hosts/${HOSTNAME}`)).status).not.toBe(403);
      expect((await t.request(`/images/${IMAGENAME}`, { headers: { Accept: 'text/html' } })).status).not.toBe(
        403,
      );
    });

    test('a failed verification → 403 (20); another host → 403 (21)', async () => {
      const failed = await t.request(`/hosts/${HOSTNAME}/update`, {
        method: 'POST',
        body: fullReport,
        headers: { 'X-Client-Cert-Verify': 'FAILED:reason', 'X-Client-Cert-Subject-DN': `CN=${HOSTNAME}` },
      });
      expect(failed.status).toBe(403);
      expect(await failed.text()).toBe("Client certificate validation failed: 'FAILED:reason'");
      const other = await t.request(`/hosts/${HOSTNAME}/update`, {
        method: 'POST',
        body: fullReport,
        headers: cert('host2.example.com'),
      });
      expect(other.status).toBe(403);
      expect(await other.text()).toContain('Unauthorized to modify host');
      expect((await readOwnerState(t.database, 'host', HOSTNAME))?.modified).toEqual(HOSTS_MODIFIED);
    });

    test('the host itself (22) or a proxy host (23) may report', async () => {
      const own = await t.request(`/hosts/${HOSTNAME}/update`, {
        method: 'POST',
        body: fullReport,
        headers: cert(HOSTNAME),
      });
      expect(own.status).toBe(201);
      expect((await readOwnerState(t.database, 'host', HOSTNAME))?.rows).toEqual([
        ['package1', '1.0.0-1', null, null],
      ]);
      const proxy = await t.request(`/hosts/${HOSTNAME}/update`, {
        method: 'POST',
        body: fullReport,
        headers: cert('orchestrator.example.com'),
      });
      expect(proxy.status).toBe(201);
    });

    test('image JSON needs a CN in PROXY_IMAGES (25)', async () => {
      const builder = await t.request(`/images/${IMAGENAME}`, {
        headers: { Accept: 'application/json', ...cert('builder.example.com') },
      });
      expect(builder.status).toBe(200);
      expect((await builder.json()).name).toBe(IMAGENAME);
      const stranger = await t.request(`/images/${IMAGENAME}`, {
        headers: { Accept: 'application/json', ...cert('host9.example.com') },
      });
      expect(stranger.status).toBe(403);
      expect(await stranger.text()).toContain('Unauthorized to modify image');
    });

    test('/auth-check with a verified certificate without DN → 200 OK (24)', async () => {
      const response = await t.request('/auth-check', { headers: { 'X-Client-Cert-Verify': 'SUCCESS' } });
      expect([response.status, await response.text()]).toEqual([200, 'OK']);
    });

    test('a proxy host may delete a host (DELETE with certificate)', async () => {
      const response = await t.request('/hosts/host3.example.com', {
        method: 'DELETE',
        headers: cert('orchestrator.example.com'),
      });
      expect(response.status).toBe(204);
      expect(await readOwnerState(t.database, 'host', 'host3.example.com')).toBeUndefined();
    });
  });
}
