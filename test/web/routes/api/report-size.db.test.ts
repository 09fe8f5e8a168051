/**
 * MAX_REPORT_PACKAGES: a host or image report listing more packages is refused with 400 and changes
 * nothing, and partial reports cannot grow a host past it, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseConfig } from '../../../../src/config/load-config.ts';
import { DIALECTS } from '../../../helpers/databases.ts';
import { countAllRows, readOwnerState } from '../../../helpers/package-state.ts';
import { createTestApp, type TestApp } from '../../../helpers/test-app.ts';

const CAP = 100;
const HOST = 'many.example.org';
const IMAGE = 'registry.example.org/many:1';

function installed(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    name: `pkg-${from + i}`,
    version: '1.0-1',
    source: `src-${from + i}`,
  }));
}

function hostReport(items: Record<string, unknown>, updateType = 'full') {
  return {
    api_version: 'v1',
    hostname: HOST,
    os: 'Debian 12',
    running_kernel: { release: '6.1.0-18-amd64', version: '#1 SMP Debian 6.1.76-1' },
    update_type: updateType,
    installed: [],
    uninstalled: [],
    upgradable: [],
    ...items,
  };
}

test('the default is 50,000 packages', () => {
  expect(parseConfig({}, () => {}).MAX_REPORT_PACKAGES).toBe(50_000);
});

for (const kind of DIALECTS) {
  describe(`MAX_REPORT_PACKAGES on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, fixture: true, config: { MAX_REPORT_PACKAGES: CAP } });
    });
    afterAll(async () => t?.drop());

    const post = (path: string, body: unknown) =>
      t.request(path, { method: 'POST', body: JSON.stringify(body) });

    async function expectRefused(path: string, body: unknown, message: string) {
      const before = await countAllRows(t.database);
      const response = await post(path, body);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(message);
      expect(await countAllRows(t.database)).toEqual(before);
    }

    test('a host report listing more packages is refused and changes nothing', async () => {
      const upgradable = [{ name: 'pkg-0', version_from: '1.0-1', version_to: '1.0-2', source: 'src-0' }];
      await expectRefused(
        `/hosts/${HOST}/update`,
        hostReport({ installed: installed(CAP), upgradable }),
        `Unable to update host '${HOST}': the report lists ${CAP + 1} packages, more than MAX_REPORT_PACKAGES (${CAP}) allows`,
      );
      expect(await readOwnerState(t.database, 'host', HOST)).toBeUndefined();
    });

    test('an image report listing more packages is refused and changes nothing', async () => {
      const body = {
        ...hostReport({ installed: installed(CAP + 1) }),
        image_name: IMAGE,
        hostname: undefined,
      };
      await expectRefused(
        `/images/${IMAGE}/update`,
        body,
        `Unable to update image '${IMAGE}': the report lists ${CAP + 1} packages, more than MAX_REPORT_PACKAGES (${CAP}) allows`,
      );
      expect(await readOwnerState(t.database, 'image', IMAGE)).toBeUndefined();
    });

    test('a report at the cap is applied; partial reports cannot grow the host past it', async () => {
      expect((await post(`/hosts/${HOST}/update`, hostReport({ installed: installed(CAP) }))).status).toBe(
        201,
      );
      const full = await readOwnerState(t.database, 'host', HOST);
      expect(full?.counts).toEqual([CAP, 0, 0]);
      // One more package through the dpkg hook: refused, the host keeps its rows and counters.
      await expectRefused(
        `/hosts/${HOST}/update`,
        hostReport({ installed: installed(1, CAP) }, 'dpkg_hook'),
        `Unable to update host '${HOST}': the host would have ${CAP + 1} packages, more than MAX_REPORT_PACKAGES (${CAP}) allows`,
      );
      expect(await readOwnerState(t.database, 'host', HOST)).toEqual(full);
      // Replacing one package by another keeps the count: applied.
      const swap = hostReport(
        { installed: installed(1, CAP), uninstalled: [{ name: 'pkg-0' }] },
        'dpkg_hook',
      );
      expect((await post(`/hosts/${HOST}/update`, swap)).status).toBe(201);
      expect((await readOwnerState(t.database, 'host', HOST))?.counts).toEqual([CAP, 0, 0]);
    });
  });
}

test('with the default cap, a 50,001-package host report is refused before it is validated', async () => {
  const t = await createTestApp();
  try {
    const body = hostReport({ installed: Array.from({ length: 50_001 }, () => ({ name: '' })) });
    const response = await t.request(`/hosts/${HOST}/update`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      'the report lists 50001 packages, more than MAX_REPORT_PACKAGES (50000)',
    );
  } finally {
    await t.drop();
  }
});
