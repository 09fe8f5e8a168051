/**
 * The shipped binaries, built by scripts/build.ts for this machine and run from empty directories:
 * the server migrates, serves pages and /client; the agent updates itself from it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findServerOnlyInputs,
  getNativeArch,
  SERVER_ENTRY,
  writeCompressedCopy,
} from '../../scripts/build.ts';
import { getAgentFileName } from '../../src/lib/agent-arch.ts';
import { buildTestBinary, hashFile, listNames, runProgram, TEST_AGENT_ENTRY } from '../helpers/binaries.ts';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.ts';
import {
  createTestCertificates,
  startTlsFront,
  type TestCertificates,
  type TlsFront,
} from '../helpers/tls-front.ts';

const OLD = '1.0.0';
const NEW = '1.0.1';
const root = mkdtempSync(join(tmpdir(), 'debmonitor-bin-'));
const dist = join(root, 'dist');
const serverBinary = join(dist, 'debmonitor-server');
const arch = getNativeArch();
const newAgent = join(dist, 'agents', getAgentFileName(arch));
const oldAgent = join(root, `old-${getAgentFileName(arch)}`);
let agentInputs: string[] = [];
let certificates: TestCertificates;
let server: ServerProcess;
let front: TlsFront;

/** A fresh empty directory. */
function makeEmptyDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
}

/** Installs a copy of `binary` as `<dir>/debmonitor` with `mode`, as on a host. */
function installAgent(binary: string, name: string, mode = 0o755): string {
  const path = join(makeEmptyDir(name), 'debmonitor');
  copyFileSync(binary, path);
  chmodSync(path, mode);
  return path;
}

/** The agent's options for a full run against an HTTPS server on localhost, with `extra` added. */
function agentArgs(port: number, extra: string[]): string[] {
  return [
    '--config',
    '/dev/null',
    '-s',
    'localhost',
    '-p',
    String(port),
    '--ca',
    certificates.caPath,
    ...extra,
  ];
}

beforeAll(async () => {
  await buildTestBinary({ entry: SERVER_ENTRY, outfile: serverBinary, version: NEW });
  agentInputs = (await buildTestBinary({ entry: TEST_AGENT_ENTRY, outfile: newAgent, version: NEW })).inputs;
  await writeCompressedCopy(newAgent, 1);
  await buildTestBinary({ entry: TEST_AGENT_ENTRY, outfile: oldAgent, version: OLD });
  certificates = createTestCertificates(makeEmptyDir('tls'));
  const configPath = join(makeEmptyDir('etc'), 'config.json');
  writeFileSync(configPath, JSON.stringify({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false }));
  server = await startServerProcess({
    command: [serverBinary],
    cwd: makeEmptyDir('server-run'),
    args: ['--config', configPath],
  });
  front = await startTlsFront({ certificates, target: server.url });
}, 120_000);

afterAll(async () => {
  await front?.stop();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the server binary', () => {
  test('prints the version it was built with', async () => {
    const run = await runProgram([serverBinary, 'version'], { cwd: makeEmptyDir('version-run') });
    expect(run.stdout.trim()).toBe(NEW);
  });

  test('ignores a stray .env and bunfig.toml in its working directory', async () => {
    const dir = makeEmptyDir('stray-files');
    writeFileSync(join(dir, '.env'), 'DEBMONITOR_DATABASE_URL=sqlite:/nonexistent/elsewhere.sqlite\n');
    writeFileSync(join(dir, 'bunfig.toml'), 'preload = ["./missing-preload.ts"]\n');
    const run = await runProgram([serverBinary, 'migrate'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Applied migrations: 0000_init');
    expect(existsSync(join(dir, 'debmonitor.sqlite'))).toBe(true);
  });

  test('migrates a fresh SQLite file in an empty directory and answers /healthz', async () => {
    expect(server.output()).toContain('Applied migrations: 0000_init');
    expect(existsSync(join(root, 'server-run', 'debmonitor.sqlite'))).toBe(true);
    const response = await fetch(`${server.url}/healthz`);
    expect(await response.text()).toBe('OK');
  });

  test('shows the agent page with the build it offers, and serves every asset the page loads', async () => {
    const response = await fetch(`${server.url}/agent/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<td>${NEW}</td>`);
    expect(html).toContain(await hashFile(newAgent));
    // Stylesheets, scripts and icons the layout loads (embedded assets, once the web UI adds them).
    const links = [...html.matchAll(/<(?:link|script|img)\b[^>]*?(?:href|src)="(\/[^"]*)"/g)].map(
      (match) => match[1]!,
    );
    for (const link of links) {
      expect(`${link} ${(await fetch(server.url + link, { method: 'HEAD' })).status}`).toBe(`${link} 200`);
    }
  });

  test('serves the agent at /client with its version and checksum, gzip-compressed', async () => {
    const checksum = await hashFile(newAgent);
    const head = await fetch(`${server.url}/client`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-debmonitor-client-version')).toBe(NEW);
    expect(head.headers.get('x-debmonitor-client-checksum')).toBe(checksum);

    const raw = await fetch(`${server.url}/client/${arch}`, {
      headers: { 'Accept-Encoding': 'gzip' },
      decompress: false,
    } as BunFetchRequestInit);
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    const compressed = new Uint8Array(await raw.arrayBuffer());
    expect(compressed.length).toBeLessThan(statSync(newAgent).size * 0.75);
    const body = Bun.gunzipSync(compressed);
    expect(new Bun.CryptoHasher('sha256').update(body).digest('hex')).toBe(checksum);
  });

  test('checkpoints its SQLite WAL in a worker thread', async () => {
    const file = join(root, 'server-run', 'debmonitor.sqlite');
    const before = statSync(file).size;
    const report = (host: number) => ({
      hostname: `wal${host}.example.com`,
      os: 'Debian 12',
      running_kernel: { release: 'r', version: 'k' },
      update_type: 'full',
      installed: Array.from({ length: 1500 }, (_, i) => ({
        name: `walpkg${i}`,
        version: `${host}.${i}`,
        source: `walsrc${i % 300}`,
      })),
    });
    // Enough writes for the WAL to pass the size at which the worker starts (4 MB).
    for (let host = 0; host < 60 && !server.output().includes('WAL checkpoints run in a worker'); host++) {
      const response = await fetch(`${server.url}/hosts/wal${host}.example.com/update`, {
        method: 'POST',
        body: JSON.stringify(report(host)),
      });
      expect(response.status).toBe(201);
    }
    expect(server.output()).toContain('WAL checkpoints run in a worker thread');
    expect(server.output()).not.toContain('the writer checkpoints the WAL itself');
    // Far below the writer's own checkpoint threshold, pages reach the database file: the worker's.
    for (let waited = 0; statSync(file).size <= before && waited < 10_000; waited += 50) await Bun.sleep(50);
    expect(statSync(file).size).toBeGreaterThan(before);
  }, 60_000);
});

describe('the agent binary', () => {
  test('carries no server code', () => {
    expect(agentInputs.some((path) => path.endsWith('src/agent/self-update.ts'))).toBe(true);
    expect(findServerOnlyInputs(agentInputs)).toEqual([]);
  });

  test('prints the version it was built with', async () => {
    const run = await runProgram([oldAgent, '--version'], { cwd: makeEmptyDir('agent-version') });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim().split(/\s+/)).toContain(OLD);
  });
});

describe('agent self-update from the server binary', () => {
  test('replaces an older agent with the newer build, keeping its mode', async () => {
    const agent = installAgent(oldAgent, 'host-update', 0o750);
    front.seen.length = 0;
    const run = await runProgram([agent, ...agentArgs(front.port, ['--update'])], {
      cwd: join(root, 'host-update'),
    });
    expect(run.exitCode).toBe(0);
    expect(await hashFile(agent)).toBe(await hashFile(newAgent));
    expect(statSync(agent).mode & 0o7777).toBe(0o750);
    expect((await runProgram([agent, '--version'], { cwd: root })).stdout).toContain(NEW);
    expect(listNames(join(root, 'host-update'))).toEqual(['debmonitor']);
    const clientRequests = front.seen.filter((request) => request.path.startsWith('/client'));
    expect(clientRequests.map((request) => request.method)).toEqual(['HEAD', 'GET']);
  });

  test('makes only the HEAD request when the server offers the running version', async () => {
    const agent = installAgent(newAgent, 'host-current');
    const before = statSync(agent).mtimeMs;
    front.seen.length = 0;
    const run = await runProgram([agent, ...agentArgs(front.port, ['--update'])], {
      cwd: join(root, 'host-current'),
    });
    expect(run.exitCode).toBe(0);
    const clientRequests = front.seen.filter((request) => request.path.startsWith('/client'));
    expect(clientRequests).toEqual([{ method: 'HEAD', path: `/client/${arch}` }]);
    expect(statSync(agent).mtimeMs).toBe(before);
  });

  test('keeps the old agent working when the download does not match its checksum', async () => {
    const corrupting = await startTlsFront({
      certificates,
      target: server.url,
      rewrite(request, response) {
        if (request.method !== 'GET' || !new URL(request.url).pathname.startsWith('/client')) return response;
        const headers = new Headers(response.headers);
        headers.set('X-Debmonitor-Client-Checksum', 'f'.repeat(64));
        return new Response(response.body, { status: response.status, headers });
      },
    });
    try {
      const agent = installAgent(oldAgent, 'host-corrupt');
      const run = await runProgram([agent, ...agentArgs(corrupting.port, ['--update'])], {
        cwd: join(root, 'host-corrupt'),
      });
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toContain('checksum');
      expect(
        corrupting.seen.some((request) => request.method === 'GET' && request.path.startsWith('/client')),
      ).toBe(true);
      expect(await hashFile(agent)).toBe(await hashFile(oldAgent));
      expect((await runProgram([agent, '--version'], { cwd: root })).stdout).toContain(OLD);
      expect(listNames(join(root, 'host-corrupt'))).toEqual(['debmonitor']);
    } finally {
      await corrupting.stop();
    }
  });

  for (const hookFlag of ['-u', '-g']) {
    test(`never runs in the ${hookFlag} hook mode`, async () => {
      const agent = installAgent(oldAgent, `host-hook${hookFlag}`);
      front.seen.length = 0;
      await runProgram([agent, ...agentArgs(front.port, [hookFlag, '--update'])], {
        cwd: join(root, `host-hook${hookFlag}`),
        stdin: 'VERSION 3\n',
      });
      expect(front.seen.filter((request) => request.path.startsWith('/client'))).toEqual([]);
      expect(await hashFile(agent)).toBe(await hashFile(oldAgent));
    });
  }
});
