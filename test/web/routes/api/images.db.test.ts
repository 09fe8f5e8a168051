/** The image and Kubernetes APIs (spec §3.4.3–3.4.6; checklist §8.5, §8.6) on both dialects. */
import { beforeEach, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../../helpers/databases.ts';
import { countAllRows, readOwnerState } from '../../../helpers/package-state.ts';
import { DEPLOYED_IMAGE, IMAGENAME } from '../../../helpers/reference-fixture.ts';
import { type TestApp, useFreshTestApp } from '../../../helpers/test-app.ts';

const uuid = () => crypto.randomUUID().slice(0, 8);

function post(t: TestApp, path: string, body: unknown): Promise<Response> {
  return t.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
}

for (const kind of DIALECTS) {
  describe(`image API on ${kind}`, () => {
    let t: TestApp;
    const freshApp = useFreshTestApp({ kind, fixture: true });
    beforeEach(() => {
      t = freshApp();
    });

    test('refuses bad reports with 400 and writes nothing (51, 53, 57)', async () => {
      const before = await countAllRows(t.database);
      const cases: [unknown, string][] = [
        ['', 'Empty POST'],
        ['invalid_json', 'Unable to parse JSON string payload'],
        [{ image_name: 'non_existing_image_example', os: 'Debian 11' }, 'Update type not specificed'],
        [{ image_name: 'imagename', os: 'invalid_os' }, 'Update type not specificed'],
        [{ image_name: 'x', os: 'Debian 11', update_type: 'full' }, "URL image '"],
        [
          { image_name: IMAGENAME, os: 'invalid_os', update_type: 'full' },
          "OS name 'invalid_os' is not valid",
        ],
        [{ image_name: IMAGENAME, update_type: 'full' }, `Unable to update image '${IMAGENAME}': os`],
        [
          {
            image_name: IMAGENAME,
            os: 'Debian 11',
            update_type: 'full',
            installed: [{ name: 'package1', version: '1.0.0-1 ', source: 'package1' }],
          },
          `Unable to update image '${IMAGENAME}': installed[0].version: must not end with a space`,
        ],
      ];
      for (const [body, message] of cases) {
        const response = await post(t, `/images/${IMAGENAME}/update`, body);
        expect(response.status).toBe(400);
        expect(await response.text()).toContain(message);
      }
      // Longer than the column (MariaDB used to answer 500).
      const long = 'i'.repeat(256);
      const response = await post(t, `/images/${long}/update`, {
        image_name: long,
        os: 'Debian 11',
        update_type: 'full',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`Unable to update image '${long}': image_name: Invalid length`);
      expect(await countAllRows(t.database)).toEqual(before);
    });

    test('a new image (52)', async () => {
      const name = `registry.example.com/component/image-name:${uuid()}`;
      const response = await post(t, `/images/${name}/update`, {
        image_name: name,
        update_type: 'full',
        os: 'Debian 13',
        installed: [1, 2, 3].map((n) => ({ name: `pkg${n}`, version: '1.0', source: `pkg${n}` })),
      });
      expect(response.status).toBe(201);
      expect(await response.text()).toBe('');
      const state = await readOwnerState(t.database, 'image', name);
      expect(state?.os).toBe('Debian 13');
      expect(state?.rows.map((r) => r[0])).toEqual(['pkg1', 'pkg2', 'pkg3']);
      expect(state?.counts).toEqual([3, 0, 0]);
    });

    test('a full report replaces the image packages (54, 55)', async () => {
      const send = (installed: unknown[]) =>
        post(t, `/images/${IMAGENAME}/update`, {
          image_name: IMAGENAME,
          update_type: 'full',
          os: 'Debian 11',
          installed,
        });
      const first = await send([
        { name: 'package1', version: '1.0.0-1', source: 'package1' },
        { name: 'package2', version: '2.0.0-1', source: 'package2' },
      ]);
      expect(first.status).toBe(201);
      expect((await readOwnerState(t.database, 'image', IMAGENAME))?.rows).toEqual([
        ['package1', '1.0.0-1', null, null],
        ['package2', '2.0.0-1', null, null],
      ]);
      const id = uuid();
      const second = await send([
        { name: 'package1', version: '1.0.0-1', source: 'package1' },
        { name: 'package2', version: '2.0.0-2', source: 'package2' },
        { name: `pkg1-${id}`, version: '1.0.0-1', source: `pkg1-${id}` },
      ]);
      expect(second.status).toBe(201);
      const state = await readOwnerState(t.database, 'image', IMAGENAME);
      expect(state?.rows.map((r) => `${r[0]} ${r[1]}`)).toEqual([
        'package1 1.0.0-1',
        'package2 2.0.0-2',
        `pkg1-${id} 1.0.0-1`,
      ]);
      expect(state?.counts).toEqual([3, 0, 0]);
    });

    test('an internal failure answers 500 text/plain (56)', async () => {
      t.database.transaction = () => Promise.reject(new Error('error'));
      const response = await post(t, `/images/${IMAGENAME}/update`, {
        image_name: IMAGENAME,
        update_type: 'full',
        os: 'Debian 11',
      });
      expect(response.status).toBe(500);
      expect(response.headers.get('Content-Type')).toBe('text/plain');
      expect(await response.text()).toContain('Unable to update image');
    });

    test('an OS change migrates the rows and answers 201 (62)', async () => {
      const response = await post(t, `/images/${IMAGENAME}/update`, {
        image_name: IMAGENAME,
        update_type: 'upgradable',
        os: 'Debian 12',
      });
      expect(response.status).toBe(201);
      const state = await readOwnerState(t.database, 'image', IMAGENAME);
      expect(state?.os).toBe('Debian 12');
      expect(state?.rowOses).toEqual(['Debian 12']);
      expect(state?.rows).toEqual([
        ['gcc-9', '9.0.0-1', null, null],
        ['nodejs', '1.2.3-4', '1.2.3-5', 'security'],
      ]);
      expect(state?.counts).toEqual([2, 1, 1]);
    });

    test('GET with Accept exactly application/json → JSON (58, 59)', async () => {
      const response = await t.request(`/images/${IMAGENAME}`, { headers: { Accept: 'application/json' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toStartWith('application/json');
      expect(await response.json()).toEqual({
        name: IMAGENAME,
        os: 'Debian 11',
        created: '2019-10-19T14:10:09.483Z',
        modified: '2019-10-19T14:10:09.483Z',
      });
      const missing = await t.request('/images/non_existing_image_example', {
        headers: { Accept: 'application/json' },
      });
      expect(missing.status).toBe(404);
      // Any other Accept falls through to the HTML page route (not part of this app yet: 404 here).
      const html = await t.request(`/images/${IMAGENAME}`, {
        headers: { Accept: 'application/json, text/plain' },
      });
      expect(html.headers.get('Content-Type') ?? '').not.toContain('application/json');
    });

    test('DELETE removes the image and its rows; 404 when missing (60)', async () => {
      const response = await t.request(`/images/${IMAGENAME}`, { method: 'DELETE' });
      expect(response.status).toBe(204);
      expect(await readOwnerState(t.database, 'image', IMAGENAME)).toBeUndefined();
      expect((await countAllRows(t.database)).imagePackages).toBe(1);
      expect((await t.request('/images/non_existing_image_example', { method: 'DELETE' })).status).toBe(404);
    });

    test('DELETE of the name plus a space → 404, the image stays (MariaDB took it for the image)', async () => {
      const response = await t.request(`/images/${IMAGENAME}%20`, { method: 'DELETE' });
      expect(response.status).toBe(404);
      expect(await readOwnerState(t.database, 'image', IMAGENAME)).toBeDefined();
    });

    test('DELETE of an image Kubernetes still runs → 409, nothing deleted (61)', async () => {
      const before = await countAllRows(t.database);
      const response = await t.request(`/images/${DEPLOYED_IMAGE}`, { method: 'DELETE' });
      expect(response.status).toBe(409);
      expect(await response.text()).toContain('Kubernetes');
      expect(await countAllRows(t.database)).toEqual(before);
    });
  });

  describe(`Kubernetes API on ${kind}`, () => {
    let t: TestApp;
    const freshApp = useFreshTestApp({ kind, fixture: true });
    beforeEach(() => {
      t = freshApp();
    });

    const k8sRows = async () =>
      (await t.database.db.select().from(t.database.tables.kubernetesImages))
        .map((r) => [r.id, r.cluster, r.namespace, r.imageId, r.containers])
        .sort((a, b) => Number(a[0]) - Number(b[0]));

    test('refuses malformed reports with 400 (63)', async () => {
      const cases: unknown[] = [
        '',
        'invalid_json',
        { images: {} },
        { cluster: 'ClusterA', images: [] },
        [],
        {
          cluster: 'ClusterA',
          images: { [DEPLOYED_IMAGE]: ['NamespaceA'] },
        },
        // On MariaDB 'ClusterA ' used to select, and replace, ClusterA's rows.
        { cluster: 'ClusterA ', images: {} },
        '{"cluster": "Cluster\\ud800", "images": {}}',
      ];
      for (const body of cases) {
        const response = await post(t, '/kubernetes/update', body);
        expect(response.status).toBe(400);
        expect(response.headers.get('Content-Type')).toBe('text/plain');
      }
      expect(await k8sRows()).toEqual([[1, 'ClusterA', 'NamespaceA', 2, 2]]);
    });

    test('updates a row in place (64) and adds another cluster without touching the first (65)', async () => {
      const first = await post(t, '/kubernetes/update', {
        cluster: 'ClusterA',
        images: { [DEPLOYED_IMAGE]: { NamespaceA: 3 } },
      });
      expect(first.status).toBe(201);
      expect(first.headers.get('Content-Type')).toStartWith('application/json');
      expect(await first.json()).toEqual({ missing: [], errors: [], success: true });
      expect(await k8sRows()).toEqual([[1, 'ClusterA', 'NamespaceA', 2, 3]]);
      const second = await post(t, '/kubernetes/update', {
        cluster: 'ClusterB',
        images: { [DEPLOYED_IMAGE]: { NamespaceB: '1' } },
      });
      expect(second.status).toBe(201);
      const rows = await k8sRows();
      expect(rows[0]).toEqual([1, 'ClusterA', 'NamespaceA', 2, 3]);
      expect(rows.at(-1)?.slice(1)).toEqual(['ClusterB', 'NamespaceB', 2, 1]);
    });

    test('an invalid count is a per-namespace error → 202 (66)', async () => {
      const response = await post(t, '/kubernetes/update', {
        cluster: 'ClusterB',
        images: { [DEPLOYED_IMAGE]: { NamespaceB: 'invalid' } },
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({
        missing: [],
        errors: [
          {
            image: DEPLOYED_IMAGE,
            cluster: 'ClusterB',
            namespace: 'NamespaceB',
            error: "Field 'containers' expected a number but got 'invalid'.",
          },
        ],
        success: false,
      });
    });

    test('a namespace the database could not keep apart is a per-namespace error → 202', async () => {
      const response = await post(t, '/kubernetes/update', {
        cluster: 'ClusterA',
        images: { [DEPLOYED_IMAGE]: { NamespaceA: 2, 'NamespaceA ': 3 } },
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({
        missing: [],
        errors: [
          {
            image: DEPLOYED_IMAGE,
            cluster: 'ClusterA',
            namespace: 'NamespaceA ',
            error: 'Namespace names must not end with a space or hold an unpaired surrogate escape.',
          },
        ],
        success: false,
      });
      expect(await k8sRows()).toEqual([[1, 'ClusterA', 'NamespaceA', 2, 2]]);
    });

    test('an unknown image is reported missing → 202 (67)', async () => {
      const missing = 'registry.example.com/component/image-missing:1.2.3-1';
      const response = await post(t, '/kubernetes/update', {
        cluster: 'ClusterA',
        images: { [missing]: { NamespaceA: 1 } },
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ missing: [missing], errors: [], success: false });
      expect(await k8sRows()).toEqual([]);
    });

    test('an internal failure answers 500 with the cluster prefix (68)', async () => {
      t.database.transaction = () => Promise.reject(new Error('error'));
      const response = await post(t, '/kubernetes/update', { cluster: 'ClusterA', images: {} });
      expect(response.status).toBe(500);
      expect(await response.text()).toContain(
        'Unable to update Kubernetes images for cluster ClusterA: error',
      );
    });

    test('a report without images deletes the cluster rows (69) and replaces its state (70)', async () => {
      await post(t, '/kubernetes/update', {
        cluster: 'ClusterC',
        images: { [DEPLOYED_IMAGE]: { N1: 1, N2: 2 }, [IMAGENAME]: { N1: 4 } },
      });
      await post(t, '/kubernetes/update', { cluster: 'ClusterC', images: { [DEPLOYED_IMAGE]: { N2: 5 } } });
      const clusterC = (await k8sRows()).filter((r) => r[1] === 'ClusterC').map((r) => r.slice(2));
      expect(clusterC).toEqual([['N2', 2, 5]]);
      const response = await post(t, '/kubernetes/update', { cluster: 'ClusterA' });
      expect(response.status).toBe(201);
      expect((await k8sRows()).map((r) => r[1])).toEqual(['ClusterC']);
    });
  });
}
