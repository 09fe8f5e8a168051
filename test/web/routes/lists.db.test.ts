/** Paging, escaping of host data and link encoding, on both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../helpers/databases.ts';
import { addFleetHosts, addPackageOnHost1 } from '../../helpers/extra-rows.ts';
import { selectAll, selectHrefs, selectTexts } from '../../helpers/html.ts';
import { MALFORMED_IDS } from '../../helpers/malformed-ids.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const XSS = '<script>alert(1)</script>';

for (const kind of DIALECTS) {
  describe(`lists and untrusted names on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, fixture: true });
      await addFleetHosts(t.database, 60);
      await addPackageOnHost1(t.database, XSS);
      await addPackageOnHost1(t.database, 'libstdc++6', '1:12.2.0-14');
    });
    afterAll(async () => t?.drop());
    const html = async (path: string) => (await t.request(path)).text();

    test('hosts are paged 50 at a time with links to the other pages', async () => {
      const first = await html('/hosts/?sort=name');
      expect(await selectAll(first, '#list tbody tr')).toHaveLength(50);
      expect(await selectTexts(first, '.pager .position')).toEqual(['1–50 of 63']);
      expect(await selectHrefs(first, '.pager a[rel="next"]')).toEqual(['/hosts/?sort=name&page=2']);
      const second = await html('/hosts/?sort=name&page=2');
      expect(await selectTexts(second, '#list tbody td.name > a')).toEqual([
        'fleet-050.example.org',
        ...Array.from({ length: 9 }, (_, i) => `fleet-0${51 + i}.example.org`),
        'host1.example.com',
        'host2.example.com',
        'host3.example.com',
      ]);
      const small = await html('/hosts/?sort=-modified&per=25&page=3');
      expect(await selectTexts(small, '.pager .position')).toEqual(['51–63 of 63']);
    });

    test('the security filter and the text filter combine', async () => {
      const page = await html('/hosts/?filter=security&q=FLEET-00&sort=name');
      expect(await selectTexts(page, '#list tbody td.name > a')).toEqual([
        'fleet-000.example.org',
        'fleet-003.example.org',
        'fleet-006.example.org',
        'fleet-009.example.org',
      ]);
    });

    test('a page past the end shows the last page', async () => {
      const page = await html('/hosts/?page=9');
      expect(await selectTexts(page, '.pager .position')).toEqual(['51–63 of 63']);
      expect(await selectTexts(page, '.pager .current')).toEqual(['2']);
      expect(await selectAll(page, '#list tbody tr')).toHaveLength(13);
      expect(await selectHrefs(page, '.pager a[rel="prev"]')).toEqual(['/hosts/']);
    });

    test('the pager shows every page number of a short list', async () => {
      const page = await html('/packages/package2?per=25&page=1');
      expect(await selectTexts(page, '.pager nav > *')).toEqual(['‹ Previous', '1', '2', '3', 'Next ›']);
    });

    test('the package list inside a package page is paged too', async () => {
      const page = await html('/packages/package2?per=25&page=2');
      expect(await selectAll(page, '#list tbody tr[data-kind]')).toHaveLength(25);
      expect(await selectTexts(page, '.pager .position')).toEqual(['26–50 of 63']);
    });

    test('a package named like a script tag is shown as text', async () => {
      for (const path of ['/hosts/host1.example.com', '/packages/?sort=name&q=script', '/search?q=script']) {
        const body = await html(path);
        expect(body).not.toContain(XSS);
        expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(await selectTexts(body, '#list tbody a')).toContain(XSS);
        expect(
          (await selectAll(body, 'script')).every((script) => script.attrs.src?.startsWith('/static/')),
        ).toBe(true);
      }
      const links = await selectHrefs(await html('/hosts/host1.example.com?q=script'), '#list tbody a');
      expect(links).toEqual(['/packages/%3Cscript%3Ealert(1)%3C%2Fscript%3E']);
      const detail = await t.request('/packages/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(detail.status).toBe(200);
    });

    test('a + in a name stays literal in links and paths', async () => {
      const body = await html('/hosts/host1.example.com?q=libstdc');
      expect(await selectHrefs(body, '#list tbody a')).toEqual(['/packages/libstdc++6']);
      const detail = await t.request('/packages/libstdc++6');
      expect(detail.status).toBe(200);
      expect(await selectTexts(await detail.text(), 'title')).toEqual(['libstdc++6 - DebMonitor']);
      expect((await t.request('/packages/libstdc%2B%2B6')).status).toBe(200);
    });
  });

  describe(`an empty inventory on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind });
    });
    afterAll(async () => t?.drop());

    test('every list says how to get started', async () => {
      for (const path of [
        '/',
        '/hosts/',
        '/images/',
        '/packages/',
        '/source-packages/',
        '/kernels/',
        '/kubernetes/',
      ]) {
        const response = await t.request(path);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(
          'No hosts have reported yet — see the README to point an agent here',
        );
      }
    });

    test('every dashboard card says why it has nothing to count', async () => {
      const body = await (await t.request('/')).text();
      expect(await selectTexts(body, '#card-security .card-empty')).toEqual([
        'Nothing to count: no host or image has reported yet.',
      ]);
      expect(await selectAll(body, '.card')).toHaveLength(8);
      expect(await selectAll(body, '.card-empty')).toHaveLength(8);
      expect(await selectTexts(body, '#card-kubernetes .card-empty')).toEqual([
        'No Kubernetes cluster has reported the images it runs.',
      ]);
    });

    test('the dashboard shows no lone "ago" without updates', async () => {
      const body = await (await t.request('/')).text();
      expect(await selectAll(body, '#card-hosts time')).toHaveLength(0);
      expect(body).not.toContain(' ago');
    });
  });

  describe(`kernel URLs on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, fixture: true });
      const stamp = new Date('2024-01-01T00:00:00Z');
      await t.database.transaction(async (tx) => {
        const k = t.database.tables.kernels;
        await tx.db.insert(k).values([
          { id: 7, name: '###', slug: '', osId: 1, created: stamp, modified: stamp },
          { id: 8, name: '4.9', slug: '49', osId: 1, created: stamp, modified: stamp },
          { id: 9, name: '49', slug: '49', osId: 1, created: stamp, modified: stamp },
        ]);
        await tx.db
          .update(t.database.tables.hosts)
          .set({ kernelId: 7 })
          .where((await import('drizzle-orm')).eq(t.database.tables.hosts.id, 2));
      });
    });
    afterAll(async () => t?.drop());

    test('an empty slug falls back to kernel-<id> (spec §9 item 14)', async () => {
      const host = await (await t.request('/hosts/host2.example.com')).text();
      expect(await selectHrefs(host, '.figures a[href^="/kernels/"]')).toEqual(['/kernels/1_kernel-7']);
      const kernel = await t.request('/kernels/1_kernel-7');
      expect(kernel.status).toBe(200);
      expect(await selectTexts(await kernel.text(), '#list tbody a')).toEqual(['host2.example.com']);
    });

    test('a shared slug resolves to the lowest id, and /kernels/id/<id> reaches the other', async () => {
      expect(await selectTexts(await (await t.request('/kernels/1_49')).text(), 'title')).toEqual([
        '4.9 - DebMonitor',
      ]);
      expect(await selectTexts(await (await t.request('/kernels/id/9')).text(), 'title')).toEqual([
        '49 - DebMonitor',
      ]);
    });

    test('a malformed id is 404 on every route that takes one, never a database error', async () => {
      // Each route with the id that names a row (kernel 7 or OS 1).
      const routes: [(id: string) => string, string][] = [
        [(id) => `/export/kernel-hosts.csv?kernel=${id}`, '7'],
        [(id) => `/export/kernel-hosts.json?kernel=${id}`, '7'],
        [(id) => `/kernels/id/${id}`, '7'],
        [(id) => `/kernels/1_kernel-${id}`, '7'],
        [(id) => `/kernels/${id}_kernel-7`, '1'],
      ];
      for (const [route, valid] of routes) expect((await t.request(route(valid))).status).toBe(200);
      for (const id of MALFORMED_IDS) {
        for (const [route] of routes) {
          const path = route(encodeURIComponent(id));
          expect({ path, status: (await t.request(path)).status }).toEqual({ path, status: 404 });
        }
      }
      expect((await t.request('/export/kernel-hosts.csv')).status).toBe(404);
    });
  });
}
