/** The host report API (spec §3.4.1, §3.4.2; checklist §8.3, §8.4) on both dialects. */
import { beforeEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { DIALECTS } from '../../../helpers/databases.ts';
import { countAllRows, type PackageTuple, readOwnerState } from '../../../helpers/package-state.ts';
import { HOSTNAME, HOSTS_MODIFIED } from '../../../helpers/reference-fixture.ts';
import { createTestApp, type TestApp, useFreshTestApp } from '../../../helpers/test-app.ts';

const uuid = () => crypto.randomUUID().slice(0, 8);

function post(t: TestApp, path: string, body: unknown): Promise<Response> {
  return t.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function report(overrides: Record<string, unknown> = {}) {
  return {
    api_version: 'v1',
    hostname: HOSTNAME,
    os: 'Debian 11',
    running_kernel: { release: 'os1-100-1', version: 'os1-100-1' },
    update_type: 'full',
    installed: [],
    uninstalled: [],
    upgradable: [],
    ...overrides,
  };
}

const FIXTURE_HOST1: PackageTuple[] = [
  ['package1', '1.0.0-1', '1.0.0-2', ''],
  ['package2', '2.0.0-1', '2.0.1-1', 'security'],
  ['package3', '3.0.0-1', null, null],
  ['package3-dev', '3.0.0-1', null, null],
];

for (const kind of DIALECTS) {
  describe(`host API on ${kind}`, () => {
    let t: TestApp;
    const freshApp = useFreshTestApp({ kind, fixture: true });
    beforeEach(() => {
      t = freshApp();
    });

    const host1 = () => readOwnerState(t.database, 'host', HOSTNAME);

    async function expectRejected(body: unknown, status: number, message: string | RegExp, path?: string) {
      const before = await countAllRows(t.database);
      const response = await post(t, path ?? `/hosts/${HOSTNAME}/update`, body);
      expect(response.status).toBe(status);
      expect(response.headers.get('Content-Type')).toBe('text/plain');
      const text = await response.text();
      if (typeof message === 'string') expect(text).toContain(message);
      else expect(text).toMatch(message);
      expect(await countAllRows(t.database)).toEqual(before);
      expect((await host1())?.modified).toEqual(HOSTS_MODIFIED);
    }

    describe('rejects bad input with 400 and writes nothing', () => {
      test('an empty body (28)', () => expectRejected('', 400, 'Empty POST, expected JSON string:'));
      test('invalid JSON (29)', () =>
        expectRejected('invalid_json', 400, 'Unable to parse JSON string payload:'));
      test('invalid UTF-8', async () => {
        const before = await countAllRows(t.database);
        const response = await t.request(`/hosts/${HOSTNAME}/update`, {
          method: 'POST',
          body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        });
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('not valid UTF-8');
        expect(await countAllRows(t.database)).toEqual(before);
      });
      test('a JSON value that is not an object (44)', async () => {
        await expectRejected('[1, 2]', 400, 'expected a JSON object, got an array');
        await expectRejected('"text"', 400, 'expected a JSON object, got a string');
        await expectRejected('null', 400, 'expected a JSON object, got null');
      });
      test('a hostname that does not match the URL (30)', () =>
        expectRejected(
          { hostname: 'non_existing_host.example.com' },
          400,
          `URL host '${HOSTNAME}' and POST payload hostname 'non_existing_host.example.com' do not match`,
        ));
      test('an invalid new OS name, without creating it (31, 46)', async () => {
        await expectRejected({ hostname: HOSTNAME, os: 'invalid_os' }, 400, /./);
        await expectRejected(report({ os: 'Debian12' }), 400, "OS name 'Debian12' is not valid:");
        await expectRejected(report({ os: 'unknown' }), 400, "OS name 'unknown' is not valid:");
      });
      test('a missing os (44)', () => {
        const { os: _, ...body } = report();
        return expectRejected(body, 400, `Unable to update host '${HOSTNAME}': os`);
      });
      test('a missing or mistyped running_kernel (42)', async () => {
        await expectRejected(
          report({ running_kernel: undefined }),
          400,
          `Unable to update host '${HOSTNAME}':`,
        );
        await expectRejected(
          report({ running_kernel: 'os1-100-1' }),
          400,
          `Unable to update host '${HOSTNAME}':`,
        );
      });
      test('a new package without source (42)', () =>
        expectRejected(
          report({ installed: [{ name: `pkg-${uuid()}`, version: '1.0' }] }),
          400,
          new RegExp(`^Unable to update host '${HOSTNAME}': 'source' is required`),
        ));
      test('a report without update_type (43)', () =>
        expectRejected(
          report({ update_type: undefined, installed: [{ name: 'new', version: '1', source: 'new' }] }),
          400,
          `Unable to update host '${HOSTNAME}': update_type`,
        ));
      test('mistyped items', async () => {
        await expectRejected(
          report({ installed: [{ name: 'x', version: 1, source: 'x' }] }),
          400,
          'installed[0].version',
        );
        await expectRejected(report({ installed: {} }), 400, 'installed');
        await expectRejected(report({ upgradable: [{ name: 'x' }] }), 400, 'upgradable[0]');
        await expectRejected(
          report({ installed: [{ name: 'x'.repeat(300), version: '1', source: 'x' }] }),
          400,
          'installed[0].name',
        );
      });
      test('names the database could not keep apart from others', async () => {
        // On MariaDB 'package1 ' is the key of 'package1' (trailing spaces are ignored), and an
        // unpaired surrogate becomes U+FFFD on both dialects: such reports used to fail with 500.
        await expectRejected(
          report({ installed: [{ name: 'package1 ', version: '1.0.0-1', source: 'package1' }] }),
          400,
          'installed[0].name: must not end with a space',
        );
        await expectRejected(
          `{"api_version":"v1","hostname":"${HOSTNAME}","os":"Debian 11","update_type":"full",` +
            `"running_kernel":{"release":"r","version":"v"},` +
            `"installed":[{"name":"a\\ud800","version":"1","source":"a"},{"name":"a\\ud801","version":"1","source":"a"}]}`,
          400,
          'installed[0].name: must be valid Unicode',
        );
        await expectRejected(
          report({
            upgradable: [
              { name: 'package1', version_from: '1.0.0-1', version_to: '1.0.0-2 ', source: 'package1' },
            ],
          }),
          400,
          'upgradable[0].version_to: must not end with a space',
        );
      });
      test('a host name longer than 255 characters (MariaDB used to answer 500)', async () => {
        const long = 'h'.repeat(256);
        await expectRejected(
          report({ hostname: long }),
          400,
          `Unable to update host '${long}': hostname: Invalid length`,
          `/hosts/${long}/update`,
        );
      });
      test('a body larger than MAX_REPORT_BYTES: 413', async () => {
        const small = await createTestApp({ kind, fixture: true, config: { MAX_REPORT_BYTES: 1000 } });
        try {
          const response = await post(small, `/hosts/${HOSTNAME}/update`, report({ os: 'x'.repeat(2000) }));
          expect(response.status).toBe(413);
          expect(await response.text()).toContain('MAX_REPORT_BYTES');
        } finally {
          await small.drop();
        }
      });
      test('no input makes a 500 (a little fuzzing)', async () => {
        const bodies = [
          '{',
          '{}',
          '{"hostname": 1}',
          JSON.stringify(report({ installed: null })),
          JSON.stringify(report({ installed: [null] })),
          JSON.stringify(report({ uninstalled: [{}] })),
          JSON.stringify(
            report({ upgradable: [{ name: 'a', version_from: '1', version_to: '2', source: 'a', type: 5 }] }),
          ),
          JSON.stringify(report({ update_type: '' })),
          JSON.stringify(report({ os: '' })),
          JSON.stringify(report({ os: 'Debian 11'.repeat(10) })),
          JSON.stringify(report({ running_kernel: { version: '' } })),
          `${'['.repeat(100000)}${']'.repeat(100000)}`,
          JSON.stringify(report({ installed: [{ name: 'a', version: 'v'.repeat(256), source: 'a' }] })),
        ];
        for (let i = 0; i < 30; i++) {
          const noise = Array.from({ length: 40 }, () =>
            String.fromCharCode(32 + Math.floor(Math.random() * 95)),
          );
          bodies.push(noise.join(''));
        }
        for (const body of bodies) {
          const response = await post(t, `/hosts/${HOSTNAME}/update`, body);
          expect({ body: body.slice(0, 60), status: response.status }).toEqual({
            body: body.slice(0, 60),
            status: 400,
          });
        }
      });
    });

    test('a new host with a new OS (32)', async () => {
      const id = uuid();
      const name = id;
      const body = `{"update_type": "full", "os": "Debian 13", "hostname": "${name}",
        "running_kernel": {"release": "r", "version": "first", "version": "kernel_${id}"},
        "installed": [
          {"name": "pkg1-${id}", "version": "1.0.0-1", "source": "pkg1-${id}"},
          {"name": "pkg2-${id}", "version": "1.0.0-1", "source": "pkg2-${id}"},
          {"name": "pkg3-${id}", "version": "1.0.0-1", "source": "pkg3-${id}"}],
        "uninstalled": [{"name": "pkg3-${id}", "version": "1.0.0-1", "source": "pkg3-${id}"}],
        "upgradable": [{"name": "pkg1-${id}", "version_from": "1.0.0-1", "version_to": "1.0.0-2",
                        "source": "pkg1-${id}", "type": ""}]}`;
      const response = await post(t, `/hosts/${name}/update`, body);
      expect(response.status).toBe(201);
      expect(response.headers.get('Content-Type')).toBe('text/plain');
      expect(await response.text()).toBe('');
      const state = await readOwnerState(t.database, 'host', name);
      expect(state?.os).toBe('Debian 13');
      expect(state?.kernel).toBe(`kernel_${id}`);
      expect(state?.rows).toEqual([
        [`pkg1-${id}`, '1.0.0-1', '1.0.0-2', ''],
        [`pkg2-${id}`, '1.0.0-1', null, null],
      ]);
      expect(state?.counts).toEqual([2, 1, 0]);
      const { srcPackageVersions, srcPackages } = t.database.tables;
      const sources = await t.database.db
        .select({ name: srcPackages.name, version: srcPackageVersions.version })
        .from(srcPackageVersions)
        .innerJoin(srcPackages, eq(srcPackages.id, srcPackageVersions.srcPackageId));
      const ours = sources
        .filter((s) => s.name.endsWith(id))
        .map((s) => `${s.name.replace(`-${id}`, '')} ${s.version}`)
        .sort();
      expect(ours).toEqual(['pkg1 1.0.0-1', 'pkg1 1.0.0-2', 'pkg2 1.0.0-1', 'pkg3 1.0.0-1']);
      expect(t.log.lines.some((line) => line.includes(`host ${name} report (full): added=2`))).toBe(true);
    });

    test('a new host without kernel or update type is refused and not created (33)', async () => {
      const name = uuid();
      const response = await post(t, `/hosts/${name}/update`, { os: 'Debian 11', hostname: name });
      expect(response.status).toBe(400);
      expect(await readOwnerState(t.database, 'host', name)).toBeUndefined();
    });

    test('a full report identical to part of the state removes the rest and stale upgrades (34)', async () => {
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          installed: [
            { name: 'package1', version: '1.0.0-1', source: 'package1' },
            { name: 'package2', version: '2.0.0-1', source: 'package2' },
          ],
        }),
      );
      expect(response.status).toBe(201);
      const state = await host1();
      expect(state?.rows).toEqual([
        ['package1', '1.0.0-1', null, null],
        ['package2', '2.0.0-1', null, null],
      ]);
      expect(state?.counts).toEqual([2, 0, 0]);
      expect(state!.modified.getTime()).toBeGreaterThan(HOSTS_MODIFIED.getTime());
    });

    test('a full report with changes (35)', async () => {
      const id = uuid();
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          running_kernel: { release: 'os1-100-2', version: 'os1-100-2' },
          installed: [
            { name: 'package1', version: '1.0.0-1', source: 'package1' },
            { name: 'package2', version: '2.0.0-2', source: 'package2' },
            { name: `pkg1-${id}`, version: '1.0.0-1', source: `pkg1-${id}` },
          ],
          uninstalled: [{ name: `pkg2-${id}`, version: '1.0.0-1', source: `pkg2-${id}` }],
          upgradable: [
            {
              name: 'package1',
              version_from: '1.0.0-1',
              version_to: '1.0.0-2',
              source: 'package1',
              type: '',
            },
            {
              name: `pkg3-${id}`,
              version_from: '1.0.0-1',
              version_to: '1.0.0-2',
              source: `pkg3-${id}`,
              type: '',
            },
          ],
        }),
      );
      expect(response.status).toBe(201);
      const state = await host1();
      expect(state?.kernel).toBe('os1-100-2');
      expect(state?.rows).toEqual([
        ['package1', '1.0.0-1', '1.0.0-2', ''],
        ['package2', '2.0.0-2', null, null],
        [`pkg1-${id}`, '1.0.0-1', null, null],
        [`pkg3-${id}`, '1.0.0-1', '1.0.0-2', ''],
      ]);
      expect(state?.counts).toEqual([4, 2, 0]);
      const { kernels } = t.database.tables;
      expect((await t.database.db.select().from(kernels)).map((k) => k.name).sort()).toEqual([
        'os1-100-1',
        'os1-100-2',
      ]);
    });

    for (const updateType of ['upgradable', 'partial']) {
      test(`an ${updateType} report deletes nothing and adds untracked packages (36, 37)`, async () => {
        const id = uuid();
        const response = await post(
          t,
          `/hosts/${HOSTNAME}/update`,
          report({
            update_type: updateType,
            running_kernel: { release: 'os1-100-2', version: 'os1-100-2' },
            upgradable: [
              {
                name: 'package1',
                version_from: '1.0.0-1',
                version_to: '1.0.0-2',
                source: 'package1',
                type: '',
              },
              {
                name: `pkg3-${id}`,
                version_from: '1.0.0-1',
                version_to: '1.0.0-2',
                source: `pkg3-${id}`,
                type: '',
              },
            ],
          }),
        );
        expect(response.status).toBe(201);
        const state = await host1();
        expect(state?.kernel).toBe('os1-100-2');
        expect(state?.rows).toEqual([...FIXTURE_HOST1, [`pkg3-${id}`, '1.0.0-1', '1.0.0-2', '']]);
        expect(state?.counts).toEqual([5, 3, 1]);
      });
    }

    test('a candidate equal to the installed version clears the upgrade (38)', async () => {
      const id = uuid();
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          update_type: 'upgradable',
          upgradable: [
            {
              name: 'package1',
              version_from: '1.0.0-0',
              version_to: '1.0.0-1',
              source: 'package1',
              type: '',
            },
            {
              name: `pkg3-${id}`,
              version_from: '1.0.0-0',
              version_to: '1.0.0-1',
              source: `pkg3-${id}`,
              type: '',
            },
          ],
        }),
      );
      expect(response.status).toBe(201);
      const state = await host1();
      expect(state?.rows).toEqual([
        ['package1', '1.0.0-1', null, null],
        ...FIXTURE_HOST1.slice(1),
        [`pkg3-${id}`, '1.0.0-0', '1.0.0-1', ''],
      ]);
    });

    test('an OS change moves every row to the new OS, keeping upgrade types (39)', async () => {
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          update_type: 'upgradable',
          os: 'Debian 12',
          running_kernel: { release: 'os1-100-2', version: 'os1-100-2' },
          upgradable: [
            {
              name: 'package1',
              version_from: '1.0.0-1',
              version_to: '1.0.0-2',
              source: 'package1',
              type: '',
            },
          ],
        }),
      );
      expect(response.status).toBe(201);
      const state = await host1();
      expect(state?.os).toBe('Debian 12');
      expect(state?.rows).toEqual(FIXTURE_HOST1);
      expect(state?.rowOses).toEqual(['Debian 12']);
      expect(state?.counts).toEqual([4, 2, 1]);
      // The invariant "package version OS = source version OS" holds for the new rows.
      const { packageVersions, srcPackageVersions } = t.database.tables;
      const pairs = await t.database.db
        .select({ os: packageVersions.osId, srcOs: srcPackageVersions.osId })
        .from(packageVersions)
        .innerJoin(srcPackageVersions, eq(srcPackageVersions.id, packageVersions.srcPackageVersionId));
      expect(pairs.every((p) => p.os === p.srcOs)).toBe(true);
      const { kernels, operatingSystems } = t.database.tables;
      const kernelRows = await t.database.db
        .select({ name: kernels.name, os: operatingSystems.name })
        .from(kernels)
        .innerJoin(operatingSystems, eq(operatingSystems.id, kernels.osId));
      expect(kernelRows).toContainEqual({ name: 'os1-100-2', os: 'Debian 12' });
    });

    test('a full report that changes the OS also cleans up (SHOULD, quirk b)', async () => {
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          os: 'Debian 12',
          installed: [{ name: 'package1', version: '1.0.0-1', source: 'package1' }],
        }),
      );
      expect(response.status).toBe(201);
      const state = await host1();
      expect(state?.rows).toEqual([['package1', '1.0.0-1', null, null]]);
      expect(state?.rowOses).toEqual(['Debian 12']);
    });

    test('an internal failure answers 500 text/plain (40)', async () => {
      t.database.transaction = () => Promise.reject(new Error('error'));
      const response = await post(t, `/hosts/${HOSTNAME}/update`, report());
      expect(response.status).toBe(500);
      expect(response.headers.get('Content-Type')).toBe('text/plain');
      expect(await response.text()).toBe(`Unable to update host '${HOSTNAME}': error`);
    });

    test('a dpkg-hook report changes only what it names (41)', async () => {
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          update_type: 'dpkg_hook',
          installed: [{ name: 'package2', version: '2.0.0-3', source: 'package2' }],
          uninstalled: [{ name: 'package3', version: '3.0.0-1', source: 'package3' }],
        }),
      );
      expect(response.status).toBe(201);
      const state = await host1();
      expect(state?.rows).toEqual([
        ['package1', '1.0.0-1', '1.0.0-2', ''],
        ['package2', '2.0.0-3', null, null],
        ['package3-dev', '3.0.0-1', null, null],
      ]);
      expect(state?.counts).toEqual([3, 1, 0]);
    });

    test('modified moves forward even when nothing changes (45, 47)', async () => {
      const body = report({
        update_type: 'upgradable',
        upgradable: [
          { name: 'package1', version_from: '1.0.0-1', version_to: '1.0.0-2', source: 'package1' },
        ],
      });
      const first = await post(t, `/hosts/${HOSTNAME}/update`, body);
      expect(first.status).toBe(201);
      expect(await first.text()).toBe('');
      const before = (await host1())!.modified;
      await Bun.sleep(5);
      expect((await post(t, `/hosts/${HOSTNAME}/update`, body)).status).toBe(201);
      expect((await host1())!.modified.getTime()).toBeGreaterThan(before.getTime());
      expect((await host1())?.rows).toEqual(FIXTURE_HOST1);
    });

    test('upgrade types are stored, replaced with the candidate and counted (security)', async () => {
      const send = (upgradable: unknown[]) =>
        post(t, `/hosts/${HOSTNAME}/update`, report({ update_type: 'upgradable', upgradable }));
      await send([
        {
          name: 'package1',
          version_from: '1.0.0-1',
          version_to: '1.0.0-3',
          source: 'package1',
          type: 'security',
        },
        { name: 'package2', version_from: '2.0.0-1', version_to: '2.0.1-2', source: 'package2' },
      ]);
      let state = await host1();
      expect(state?.rows.slice(0, 2)).toEqual([
        ['package1', '1.0.0-1', '1.0.0-3', 'security'],
        ['package2', '2.0.0-1', '2.0.1-2', null],
      ]);
      expect(state?.counts).toEqual([4, 2, 1]);
      await send([{ name: 'package1', version_from: '1.0.0-1', version_to: '1.0.0-3', source: 'package1' }]);
      expect((await host1())?.rows[0]).toEqual(['package1', '1.0.0-1', '1.0.0-3', 'security']);
      await send([{ name: 'package1', version_from: '1.0.0-1', version_to: '1.0.0-4', source: 'package1' }]);
      state = await host1();
      expect(state?.rows[0]).toEqual(['package1', '1.0.0-1', '1.0.0-4', null]);
      expect(state?.counts).toEqual([4, 2, 0]);
    });

    test('duplicates: the last one wins; uninstalled wins over upgradable (SHOULD)', async () => {
      const response = await post(
        t,
        `/hosts/${HOSTNAME}/update`,
        report({
          update_type: 'dpkg_hook',
          installed: [
            { name: 'new1', version: '1', source: 'new1' },
            { name: 'new1', version: '2', source: 'new1' },
          ],
          uninstalled: [{ name: 'package3' }],
          upgradable: [
            { name: 'new2', version_from: '1', version_to: '2', source: 'new2' },
            { name: 'new2', version_from: '1', version_to: '3', source: 'new2', type: 'security' },
            { name: 'package3', version_from: '3.0.0-1', version_to: '3.0.0-2', source: 'package3' },
          ],
        }),
      );
      expect(response.status).toBe(201);
      const rows = (await host1())?.rows;
      expect(rows).toContainEqual(['new1', '2', null, null]);
      expect(rows).toContainEqual(['new2', '1', '3', 'security']);
      expect(rows?.map((r) => r[0])).not.toContain('package3');
    });

    describe('DELETE /hosts/<name> (§8.4)', () => {
      test('deletes the host and its rows, keeping the kernel (48)', async () => {
        const response = await t.request(`/hosts/${HOSTNAME}`, { method: 'DELETE' });
        expect(response.status).toBe(204);
        expect(response.headers.get('Content-Type')).toBe('text/plain');
        expect(await host1()).toBeUndefined();
        const counts = await countAllRows(t.database);
        expect(counts.hostPackages).toBe(8);
        expect(counts.kernels).toBe(1);
      });
      test('answers 404 for a missing host (49)', async () => {
        const response = await t.request('/hosts/non_existing_host.example.com', { method: 'DELETE' });
        expect(response.status).toBe(404);
      });
      test('answers 404 for the name plus a space, leaving the host (MariaDB took it for the host)', async () => {
        const response = await t.request(`/hosts/${HOSTNAME}%20`, { method: 'DELETE' });
        expect(response.status).toBe(404);
        expect(await host1()).toBeDefined();
      });
    });

    describe('methods (§8.1 items 12, 13)', () => {
      test('GET /auth-check → 200 OK text/plain (12)', async () => {
        const response = await t.request('/auth-check');
        expect(response.status).toBe(200);
        expect(response.headers.get('Content-Type')).toBe('text/plain');
        expect((await response.text()).trim()).toBe('OK');
        const head = await t.request('/auth-check', { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe('');
        expect((await t.request('/auth-check', { method: 'POST' })).headers.get('Allow')).toBe('GET, HEAD');
      });
      test('update URLs accept only POST (13)', async () => {
        const response = await t.request(`/hosts/${HOSTNAME}/update`);
        expect(response.status).toBe(405);
        expect(response.headers.get('Allow')).toBe('POST');
        expect(await response.text()).toBe('');
        for (const path of ['/kubernetes/update', '/images/a/b:1/update']) {
          const other = await t.request(path, { method: 'PUT' });
          expect([other.status, other.headers.get('Allow')]).toEqual([405, 'POST']);
        }
      });
      test('host and image detail URLs: PUT/POST → 405, OPTIONS → 200 with Allow (13)', async () => {
        for (const path of [
          `/hosts/${HOSTNAME}`,
          '/images/registry.example.com/component/image-name:1.2.3-1',
        ]) {
          for (const method of ['PUT', 'POST', 'PATCH']) {
            const response = await t.request(path, { method });
            expect(response.status).toBe(405);
            expect(response.headers.get('Allow')).toBe('GET, DELETE, HEAD, OPTIONS');
          }
          const options = await t.request(path, { method: 'OPTIONS' });
          expect([options.status, options.headers.get('Allow'), await options.text()]).toEqual([
            200,
            'GET, DELETE, HEAD, OPTIONS',
            '',
          ]);
        }
      });
    });
  });
}
