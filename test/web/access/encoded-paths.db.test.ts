/**
 * Percent-encoded, double-encoded and re-cased spellings of every protected route: a certificate
 * for another host, a signed-in user without certificate, or nobody at all never writes, deletes
 * or reads another host's or image's data through them, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../../helpers/databases.ts';
import { countAllRows, readOwnerState } from '../../helpers/package-state.ts';
import { HOSTNAME, HOSTS_MODIFIED, IMAGENAME, IMAGES_MODIFIED } from '../../helpers/reference-fixture.ts';
import { type ServerProcess, startServerProcess } from '../../helpers/server-process.ts';
import { addUser, signIn } from '../../helpers/sign-in.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const STRANGER = 'host2.example.com';
const certificateOf = (cn: string) => ({
  'X-Client-Cert-Verify': 'SUCCESS',
  'X-Client-Cert-Subject-DN': `CN=${cn}`,
});

const hostReport = JSON.stringify({
  hostname: HOSTNAME,
  os: 'Debian 12',
  running_kernel: { release: '6.1.0-1-amd64', version: '#1 SMP Debian 6.1.1-1' },
  update_type: 'full',
  installed: [{ name: 'intruder', version: '6.6.6', source: 'intruder' }],
});
const imageReport = JSON.stringify({
  image_name: IMAGENAME,
  os: 'Debian 12',
  update_type: 'full',
  installed: [{ name: 'intruder', version: '6.6.6', source: 'intruder' }],
});
const kubernetesReport = JSON.stringify({ cluster: 'ClusterA', images: {} });

interface Attack {
  path: string;
  init: RequestInit;
}

/** The protected requests an attacker would want, spelled plainly. */
const ATTACKS: Attack[] = [
  { path: `/hosts/${HOSTNAME}/update`, init: { method: 'POST', body: hostReport } },
  { path: `/hosts/${HOSTNAME}`, init: { method: 'DELETE' } },
  { path: `/hosts/${HOSTNAME}`, init: { headers: { Accept: 'application/json' } } },
  { path: `/images/${IMAGENAME}/update`, init: { method: 'POST', body: imageReport } },
  { path: `/images/${IMAGENAME}`, init: { method: 'DELETE' } },
  { path: `/images/${IMAGENAME}`, init: { headers: { Accept: 'application/json' } } },
  { path: '/kubernetes/update', init: { method: 'POST', body: kubernetesReport } },
  { path: `/hosts/${HOSTNAME}/certificate`, init: { method: 'POST', body: '{"csr": ""}' } },
];

const hex = (char: string, upper: boolean) => {
  const code = char.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? code.toUpperCase() : code}`;
};

/**
 * Other spellings of `path`: each character (slashes included) percent-encoded alone in lower and
 * upper case hex, double-encoded, and each literal segment in upper and mixed case.
 */
export function spellingsOf(path: string): string[] {
  const spellings = new Set<string>();
  for (let at = 1; at < path.length; at++) {
    const char = path[at] ?? '';
    const before = path.slice(0, at);
    const after = path.slice(at + 1);
    spellings.add(before + hex(char, false) + after);
    spellings.add(before + hex(char, true) + after);
    spellings.add(`${before}%25${hex(char, false).slice(1)}${after}`);
  }
  const segments = path.split('/');
  segments.forEach((segment, index) => {
    if (!/^[a-z]+$/.test(segment)) return;
    for (const variant of [segment.toUpperCase(), segment[0]?.toUpperCase() + segment.slice(1)]) {
      spellings.add(segments.map((s, i) => (i === index ? variant : s)).join('/'));
    }
  });
  spellings.delete(path);
  return [...spellings];
}

for (const kind of DIALECTS) {
  describe(`encoded paths on ${kind}`, () => {
    let t: TestApp;
    let open: TestApp;
    let before: Record<string, number>;

    beforeAll(async () => {
      const proxies = { PROXY_HOSTS: ['orchestrator.example.com'], PROXY_IMAGES: ['builder.example.com'] };
      t = await createTestApp({
        kind,
        fixture: true,
        config: { VERIFY_CLIENTS: true, REQUIRE_LOGIN: true, ...proxies },
      });
      open = await createTestApp({
        kind,
        fixture: true,
        config: { VERIFY_CLIENTS: true, REQUIRE_LOGIN: false, ...proxies },
      });
      before = await countInventoryRows(t);
    });
    afterAll(async () => {
      await t?.drop();
      await open?.drop();
    });

    /** The inventory's rows (the accounts and sessions of the signed-in test change on purpose). */
    async function countInventoryRows(app: TestApp) {
      const { users, sessions, loginFailures, ...inventory } = await countAllRows(app.database);
      return inventory;
    }

    async function expectUnchanged(app: TestApp) {
      expect(await countInventoryRows(app)).toEqual(before);
      expect((await readOwnerState(app.database, 'host', HOSTNAME))?.modified).toEqual(HOSTS_MODIFIED);
      expect((await readOwnerState(app.database, 'image', IMAGENAME))?.modified).toEqual(IMAGES_MODIFIED);
    }

    /** Sends every spelling of every attack; returns the statuses that let something through. */
    async function attackAll(app: TestApp, headers: Record<string, string>): Promise<string[]> {
      const through: string[] = [];
      for (const attack of ATTACKS) {
        for (const path of [attack.path, ...spellingsOf(attack.path)]) {
          const response = await app.request(path, {
            ...attack.init,
            headers: { ...(attack.init.headers as Record<string, string>), ...headers },
          });
          await response.arrayBuffer();
          // 403 refused, 404/405 no such route or method, 302 sent to sign in: nothing served.
          if (![302, 403, 404, 405].includes(response.status)) {
            through.push(`${attack.init.method ?? 'GET'} ${path} → ${response.status}`);
          }
        }
      }
      return through;
    }

    test('there are many spellings per route', () => {
      expect(spellingsOf(`/hosts/${HOSTNAME}/update`).length).toBeGreaterThan(60);
      expect(spellingsOf('/hosts/h/update')).toContain('/hosts/h/%75pdate');
      expect(spellingsOf('/hosts/h')).toContain('/h%6Fsts/h');
      expect(spellingsOf('/hosts/h')).toContain('/h%256fsts/h');
      expect(spellingsOf('/hosts/h/update')).toContain('/hosts/h/UPDATE');
    });

    test("another host's certificate gets nowhere through any spelling", async () => {
      expect(await attackAll(t, certificateOf(STRANGER))).toEqual([]);
      await expectUnchanged(t);
    });

    test('a signed-in user without certificate gets nowhere through any spelling', async () => {
      await addUser(t.database, 'viewer', 'a viewer with a long passphrase');
      const { jar } = await signIn(t.request, 'viewer', 'a viewer with a long passphrase');
      expect(await attackAll(t, { Cookie: jar.header() })).toEqual([]);
      await expectUnchanged(t);
    });

    test('nobody gets anywhere with REQUIRE_LOGIN off', async () => {
      expect(await attackAll(open, {})).toEqual([]);
      expect(await attackAll(open, certificateOf(STRANGER))).toEqual([]);
      await expectUnchanged(open);
    });

    test('the right certificate is judged on the decoded path too', async () => {
      // The router decodes %75 to `u`, so this is host1's own update endpoint, and host1 may use it.
      const own = await open.request(`/hosts/${HOSTNAME}/%75pdate`, {
        method: 'POST',
        body: hostReport,
        headers: certificateOf(HOSTNAME),
      });
      expect(own.status).toBe(201);
      const other = await open.request(`/h%6Fsts/${HOSTNAME}`, {
        method: 'DELETE',
        headers: certificateOf(STRANGER),
      });
      expect(other.status).toBe(403);
      expect(await other.text()).toBe(
        `Unauthorized to modify host '${HOSTNAME}' with certificate 'CN=${STRANGER}'`,
      );
    });
  });
}

describe('encoded paths over real HTTP', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'debmonitor-encoded-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` }));
    server = await startServerProcess({ cwd: dir, args: ['--config', config] });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the bytes on the wire are judged as the router reads them', async () => {
    const post = (path: string, cn: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', body: hostReport, headers: certificateOf(cn) });
    expect((await post(`/hosts/${HOSTNAME}/update`, HOSTNAME)).status).toBe(201);
    expect((await post(`/hosts/${HOSTNAME}/%75pdate`, STRANGER)).status).toBe(403);
    expect((await post(`/h%6Fsts/${HOSTNAME}/update`, STRANGER)).status).toBe(403);
    const remove = (path: string, cn: string) =>
      fetch(`${server.url}${path}`, { method: 'DELETE', headers: certificateOf(cn) });
    expect((await remove(`/h%6fsts/${HOSTNAME}`, STRANGER)).status).toBe(403);
    expect((await remove(`/hosts/${HOSTNAME}`, HOSTNAME)).status).toBe(204);
  });
});
