/**
 * runSelfUpdate against a stand-in server that offers a real agent build (src/agent.ts compiled for
 * this machine) or files that must never replace the running binary.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ENTRY } from '../../scripts/build.ts';
import { getElfMachine } from '../../src/agent/elf-check.ts';
import { runSelfUpdate, type SelfUpdateOptions } from '../../src/agent/self-update.ts';
import { removeStaleUpdateFiles } from '../../src/agent/self-update-install.ts';
import { createMemoryLogger } from '../../src/lib/logger.ts';
import { buildTestBinary, hashFile } from '../helpers/binaries.ts';

/** The installed agent: a script, as only the new binary is checked. */
function makeScript(version: string): string {
  return `#!/bin/sh\necho "debmonitor-client ${version}"\n`;
}

interface Offer {
  version?: string;
  /** What a GET sends; a function makes a fresh stream for each request. */
  body: Uint8Array<ArrayBuffer> | string | (() => ReadableStream<Uint8Array>);
  checksum: string;
  headStatus?: number;
}

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-self-update-'));
const buildPath = join(dir, 'build', 'debmonitor');
/** The agent 1.0.1, built once. */
let build: Uint8Array<ArrayBuffer>;
let buildChecksum: string;
let offer: Offer;
const seen: string[] = [];
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request) {
    const url = new URL(request.url);
    seen.push(`${request.method} ${url.pathname}${url.search}`);
    const headers: Record<string, string> = { 'X-Debmonitor-Client-Checksum': offer.checksum };
    if (offer.version !== undefined) headers['X-Debmonitor-Client-Version'] = offer.version;
    if (request.method === 'HEAD') return new Response(null, { status: offer.headStatus ?? 200, headers });
    return new Response(typeof offer.body === 'function' ? offer.body() : offer.body, { headers });
  },
});
let counter = 0;
let homes: string[] = [];
let log = createMemoryLogger();

/** Offers `body` as version 1.0.1 (or `version`), with its true checksum. */
function setOffer(body: Uint8Array<ArrayBuffer> | string, version = '1.0.1'): void {
  offer = { version, body, checksum: new Bun.CryptoHasher('sha256').update(body).digest('hex') };
}

beforeAll(async () => {
  await buildTestBinary({ entry: AGENT_ENTRY, outfile: buildPath, version: '1.0.1' });
  build = readFileSync(buildPath);
  buildChecksum = await hashFile(buildPath);
}, 120_000);
afterAll(() => {
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  log = createMemoryLogger();
  offer = { version: '1.0.1', body: build, checksum: buildChecksum };
});
// Each successful update leaves a 100 MB binary.
afterEach(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
  homes = [];
});

/** Installs a script for `version` in its own directory and returns its path. */
function installScript(version: string, mode = 0o755): string {
  const home = mkdtempSync(join(dir, `host-${counter++}-`));
  homes.push(home);
  const path = join(home, 'debmonitor');
  writeFileSync(path, makeScript(version));
  chmodSync(path, mode);
  return path;
}

function update(executablePath: string, extra: Partial<SelfUpdateOptions> = {}) {
  return runSelfUpdate({
    serverUrl: `${server.url.origin}/`,
    currentVersion: '1.0.0',
    executablePath,
    arch: 'x64',
    standalone: true,
    log,
    ...extra,
  });
}

describe('runSelfUpdate', () => {
  test('replaces the executable with a newer build, keeping its mode', async () => {
    const path = installScript('1.0.0', 0o751);
    expect(await update(path)).toEqual({ status: 'updated', from: '1.0.0', to: '1.0.1' });
    expect(await hashFile(path)).toBe(buildChecksum);
    expect(statSync(path).mode & 0o7777).toBe(0o751);
    expect(seen).toEqual(['HEAD /client/x64', 'GET /client/x64']);
    expect(log.lines).toContain('INFO Found new remote version 1.0.1, current version is 1.0.0. Updating.');
  });

  test('replaces the file a symbolic link points to, not the link', async () => {
    const target = installScript('1.0.0');
    const link = join(target, '..', 'link');
    symlinkSync(target, link);
    expect((await update(link)).status).toBe('updated');
    expect(await hashFile(target)).toBe(buildChecksum);
    expect(statSync(link).isFile()).toBe(true);
  });

  test('makes only the HEAD request when the server offers the running version', async () => {
    const path = installScript('1.0.1');
    expect(await update(path, { currentVersion: '1.0.1' })).toEqual({
      status: 'up-to-date',
      version: '1.0.1',
    });
    expect(seen).toEqual(['HEAD /client/x64']);
  });

  test('never downgrades', async () => {
    const path = installScript('1.1.0');
    const outcome = await update(path, { currentVersion: '1.1.0' });
    expect(outcome.status).toBe('skipped');
    expect(seen).toEqual(['HEAD /client/x64']);
    expect(readFileSync(path, 'utf8')).toBe(makeScript('1.1.0'));
  });

  test('downgrades to a pinned version', async () => {
    const path = installScript('1.1.0');
    const outcome = await update(path, { currentVersion: '1.1.0', forceVersion: '1.0.1' });
    expect(outcome).toEqual({ status: 'updated', from: '1.1.0', to: '1.0.1' });
    // The pinned version is asked for by name: a server may keep it beside its current agent.
    expect(seen).toEqual(['HEAD /client/x64?version=1.0.1', 'GET /client/x64?version=1.0.1']);
  });

  test('does nothing when the server offers another version than the pinned one', async () => {
    const path = installScript('1.0.0');
    expect((await update(path, { forceVersion: '1.0.5' })).status).toBe('skipped');
    expect(seen).toEqual(['HEAD /client/x64?version=1.0.5']);
  });

  test("another run's clean-up leaves the file of an update in progress alone", async () => {
    const middle = Math.floor(build.length / 2);
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    offer = {
      ...offer,
      body: () =>
        new ReadableStream({
          async start(controller) {
            controller.enqueue(build.subarray(0, middle));
            await released;
            controller.enqueue(build.subarray(middle));
            controller.close();
          },
        }),
    };
    const path = installScript('1.0.0');
    const home = join(path, '..');
    const updating = update(path);
    let temporary = '';
    for (let waited = 0; waited < 20_000; waited += 20) {
      const name = readdirSync(home).find((entry) => entry.startsWith('.debmonitor.update-'));
      if (name && statSync(join(home, name)).size >= middle) {
        temporary = join(home, name);
        break;
      }
      await Bun.sleep(20);
    }
    expect(temporary).not.toBe('');
    expect(await removeStaleUpdateFiles(path)).toEqual([]);
    // Idle for an hour (a stalled download): its process is alive, so it stays.
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(temporary, hourAgo, hourAgo);
    expect(await removeStaleUpdateFiles(path)).toEqual([]);
    release();
    expect(await updating).toEqual({ status: 'updated', from: '1.0.0', to: '1.0.1' });
    expect(await hashFile(path)).toBe(buildChecksum);
    expect(readdirSync(home)).toEqual(['debmonitor']);
  });

  describe('leaves the old executable in place and no temporary file', () => {
    const expectUntouched = (path: string, version: string) => {
      expect(readFileSync(path, 'utf8')).toBe(makeScript(version));
      expect(readdirSync(join(path, '..'))).toEqual(['debmonitor']);
    };

    test('when the download does not match the announced checksum', async () => {
      offer = { ...offer, checksum: 'a'.repeat(64) };
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status).toBe('failed');
      expect(log.lines.join('\n')).toContain(
        'ERROR Unable to self-update this agent: the checksum of the downloaded agent does not match the HTTP header',
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new build is another version than the one announced', async () => {
      setOffer(build, '1.0.2');
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toStartWith(
        "the new binary did not answer the self-test of an agent 1.0.2 (it printed 'debmonitor-self-test 1.0.1 ",
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new file is a shell script that prints the version', async () => {
      // It passed the check of earlier agents, which ran `--version` alone.
      setOffer('#!/bin/sh\necho debmonitor-client 1.0.1\n');
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toBe(
        'the new binary is refused: it is not an ELF executable (it starts with "#!/bin/sh.echo d")',
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new build is for another architecture', async () => {
      const foreign = new Uint8Array(build);
      const other = getElfMachine(process.arch) === 62 ? 183 : 62;
      new DataView(foreign.buffer).setUint16(18, other, true);
      setOffer(foreign);
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toMatch(
        /^the new binary is refused: it is built for (AArch64|x86-64), not for this (x86-64|AArch64) machine$/,
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new build is cut short (with a checksum of what was sent)', async () => {
      setOffer(build.subarray(0, Math.floor(build.length / 2)));
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toStartWith(
        'the new binary is refused: it is truncated',
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new program is an executable of this machine that fails', async () => {
      setOffer(readFileSync(Bun.which('false')!));
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toBe(
        'the new binary failed its self-test (exited 1)',
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new program is an executable of this machine that echoes', async () => {
      setOffer(readFileSync(Bun.which('echo')!));
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toMatch(
        /^the new binary did not answer the self-test of an agent 1\.0\.1 \(it printed '--self-test [0-9a-f]{32}'\)$/,
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the server answers the HEAD request with an error', async () => {
      offer = { ...offer, headStatus: 404 };
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toContain('got HTTP 404, expected 200 OK');
      expect(seen).toEqual(['HEAD /client/x64']);
      expectUntouched(path, '1.0.0');
    });

    test('when the server sends no version', async () => {
      offer = { ...offer, version: undefined };
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toContain(
        'no X-Debmonitor-Client-Version header',
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the server cannot be reached', async () => {
      const path = installScript('1.0.0');
      const outcome = await update(path, { serverUrl: 'http://127.0.0.1:1' });
      expect(outcome.status).toBe('failed');
      expectUntouched(path, '1.0.0');
    });
  });

  test('refuses to run from source, where the executable is the Bun runtime', async () => {
    const path = installScript('1.0.0');
    const outcome = await update(path, { standalone: false });
    expect(outcome.status).toBe('skipped');
    expect(seen).toEqual([]);
  });
});
