import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-agents-'));
let app: TestApp;

/** A fake agent binary: random bytes around the version marker the build embeds. */
function makeAgentBytes(version: string | null, size = 200_000): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes.subarray(0, 65_536));
  if (version) bytes.set(new TextEncoder().encode(`var v="@(#)debmonitor ${version}".slice(15);`), 70_000);
  return bytes;
}

function hash(bytes: Uint8Array): string {
  return new Bun.CryptoHasher('sha256').update(bytes).digest('hex');
}

function writeAgent(name: string, bytes: Uint8Array): string {
  writeFileSync(join(dir, name), bytes);
  return hash(bytes);
}

const x64 = makeAgentBytes('1.2.3');
const arm64 = makeAgentBytes('1.2.4-rc.1');
let x64Sum = '';
let arm64Sum = '';

beforeAll(async () => {
  x64Sum = writeAgent('debmonitor-linux-x64', x64);
  arm64Sum = writeAgent('debmonitor-linux-arm64', arm64);
  app = await createTestApp({ config: { AGENTS_DIR: dir } });
});
afterAll(async () => {
  await app.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /client', () => {
  test('serves the x64 agent by default with version, checksum and download headers', async () => {
    const response = await app.request('/client');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-debmonitor-client-version')).toBe('1.2.3');
    expect(response.headers.get('x-debmonitor-client-checksum')).toBe(x64Sum);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="debmonitor-linux-x64"');
    expect(response.headers.get('etag')).toBe(`"${x64Sum}"`);
    expect(hash(await response.bytes())).toBe(x64Sum);
  });

  test('chooses the architecture by path suffix or by ?arch=', async () => {
    for (const path of ['/client/arm64', '/client?arch=arm64']) {
      const response = await app.request(path);
      expect(response.headers.get('x-debmonitor-client-checksum')).toBe(arm64Sum);
      expect(response.headers.get('x-debmonitor-client-version')).toBe('1.2.4-rc.1');
    }
  });

  test('gzips the body when the client accepts it; the checksum stays the binary one', async () => {
    const response = await app.request('/client', { headers: { 'Accept-Encoding': 'br, gzip;q=0.8' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('x-debmonitor-client-checksum')).toBe(x64Sum);
    expect(response.headers.get('etag')).toBe(`"${x64Sum}-gzip"`);
    expect(hash(Bun.gunzipSync(await response.bytes()))).toBe(x64Sum);
  });

  test('sends the body as is when gzip is refused', async () => {
    const response = await app.request('/client', { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(hash(await response.bytes())).toBe(x64Sum);
  });

  test('answers 304 to a matching If-None-Match', async () => {
    const response = await app.request('/client', { headers: { 'If-None-Match': `"${x64Sum}"` } });
    expect(response.status).toBe(304);
  });

  test('rejects an unknown architecture with 400', async () => {
    const response = await app.request('/client/sparc');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("Unknown architecture 'sparc'; use one of x64, x64-baseline, arm64");
  });

  test('answers 404 saying where it looked when the binary is missing', async () => {
    const response = await app.request('/client/x64-baseline');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain(join(dir, 'debmonitor-linux-x64-baseline'));
  });

  test('answers 405 with Allow to other methods', async () => {
    const response = await app.request('/client', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('GET /client?version= (older builds kept for --force-version)', () => {
  const older = makeAgentBytes('1.2.0');
  let olderSum = '';
  beforeAll(() => {
    mkdirSync(join(dir, '1.2.0'));
    olderSum = hash(older);
    writeFileSync(join(dir, '1.2.0', 'debmonitor-linux-x64'), older);
    mkdirSync(join(dir, '1.1.0'));
    writeFileSync(join(dir, '1.1.0', 'debmonitor-linux-x64'), makeAgentBytes('1.1.9'));
  });

  test('serves the build of AGENTS_DIR/<version>/ with its own version and checksum', async () => {
    for (const path of ['/client/x64?version=1.2.0', '/client?arch=x64&version=1.2.0']) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-debmonitor-client-version')).toBe('1.2.0');
      expect(response.headers.get('x-debmonitor-client-checksum')).toBe(olderSum);
      expect(hash(await response.bytes())).toBe(olderSum);
    }
  });

  test('the current version is the current file', async () => {
    const response = await app.request('/client/x64?version=1.2.3', { method: 'HEAD' });
    expect(response.headers.get('x-debmonitor-client-checksum')).toBe(x64Sum);
  });

  test('a version not kept is 404 naming the path looked at', async () => {
    const response = await app.request('/client/arm64?version=1.2.0');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(
      `No agent 1.2.0 for arm64: ${dir}/1.2.0/debmonitor-linux-arm64 does not exist`,
    );
  });

  test('a folder holding another version than its name is 404, never the wrong build', async () => {
    const response = await app.request('/client/x64?version=1.1.0');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(
      `No agent 1.1.0 for x64: ${dir}/1.1.0/debmonitor-linux-x64 is version 1.1.9`,
    );
  });

  test('a version that is not one path segment is refused', async () => {
    for (const version of ['..', '../x', 'a/b', '.hidden', '']) {
      const response = await app.request(`/client/x64?version=${encodeURIComponent(version)}`);
      expect({ version, status: response.status }).toEqual({ version, status: 400 });
    }
  });
});

describe('HEAD /client', () => {
  test('gives the same headers and no body', async () => {
    const response = await app.request('/client/arm64', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-debmonitor-client-version')).toBe('1.2.4-rc.1');
    expect(response.headers.get('x-debmonitor-client-checksum')).toBe(arm64Sum);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });
});

describe('a binary replaced on disk', () => {
  test('is described afresh', async () => {
    const name = 'debmonitor-linux-x64-baseline';
    writeAgent(name, makeAgentBytes('2.0.0'));
    expect((await app.request('/client/x64-baseline')).headers.get('x-debmonitor-client-version')).toBe(
      '2.0.0',
    );
    const sum = writeAgent(name, makeAgentBytes('2.0.1', 210_000));
    const response = await app.request('/client/x64-baseline', { method: 'HEAD' });
    expect(response.headers.get('x-debmonitor-client-version')).toBe('2.0.1');
    expect(response.headers.get('x-debmonitor-client-checksum')).toBe(sum);
  });
});

describe('a precompressed copy beside the binary', () => {
  test('is served when it decompresses to the binary', async () => {
    const gz = Bun.gzipSync(new Uint8Array(x64), { level: 1 });
    writeFileSync(join(dir, 'debmonitor-linux-x64.gz'), gz);
    const response = await app.request('/client', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(hash(await response.bytes())).toBe(hash(gz));
  });

  test('is ignored when it holds something else', async () => {
    const other = Bun.gzipSync(new Uint8Array(makeAgentBytes('9.9.9')), { level: 1 });
    writeFileSync(join(dir, 'debmonitor-linux-arm64.gz'), other);
    const response = await app.request('/client/arm64', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(hash(Bun.gunzipSync(await response.bytes()))).toBe(arm64Sum);
  });

  test('is ignored when it is older than the binary', async () => {
    const path = join(dir, 'debmonitor-linux-x64.gz');
    writeFileSync(path, Bun.gzipSync(new Uint8Array(x64), { level: 1 }));
    const past = new Date(Date.now() - 3600_000);
    utimesSync(path, past, past);
    const response = await app.request('/client', { headers: { 'Accept-Encoding': 'gzip' } });
    const body = await response.bytes();
    expect(hash(Bun.gunzipSync(body))).toBe(x64Sum);
    expect(hash(body)).not.toBe(hash(await Bun.file(path).bytes()));
  });
});

describe('a file without a version marker', () => {
  test('is served with an empty version header', async () => {
    const other = await createTestApp({ config: { AGENTS_DIR: mkdtempSync(join(tmpdir(), 'dm-agents-')) } });
    try {
      writeFileSync(join(other.config.AGENTS_DIR!, 'debmonitor-linux-x64'), makeAgentBytes(null));
      const response = await other.request('/client', { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-debmonitor-client-version')).toBe('');
    } finally {
      rmSync(other.config.AGENTS_DIR!, { recursive: true, force: true });
      await other.drop();
    }
  });
});
