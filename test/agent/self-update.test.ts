import { afterAll, beforeEach, describe, expect, test } from 'bun:test';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSelfUpdate, type SelfUpdateOptions } from '../../src/agent/self-update.ts';
import { createMemoryLogger } from '../../src/lib/logger.ts';

/** A stand-in executable: a shell script whose --version prints `debmonitor-client <version>`. */
function makeScript(version: string): string {
  return `#!/bin/sh\necho "debmonitor-client ${version}"\n`;
}

interface Offer {
  version?: string;
  body: string;
  /** Overrides the announced checksum. */
  checksum?: string;
  headStatus?: number;
}

let offer: Offer = { version: '1.0.1', body: makeScript('1.0.1') };
const seen: string[] = [];
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request) {
    const url = new URL(request.url);
    seen.push(`${request.method} ${url.pathname}`);
    const headers: Record<string, string> = {
      'X-Debmonitor-Client-Checksum':
        offer.checksum ?? new Bun.CryptoHasher('sha256').update(offer.body).digest('hex'),
    };
    if (offer.version !== undefined) headers['X-Debmonitor-Client-Version'] = offer.version;
    if (request.method === 'HEAD') return new Response(null, { status: offer.headStatus ?? 200, headers });
    return new Response(offer.body, { headers });
  },
});
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-self-update-'));
let counter = 0;
let log = createMemoryLogger();

afterAll(() => {
  server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  log = createMemoryLogger();
  offer = { version: '1.0.1', body: makeScript('1.0.1') };
});

/** Installs a script for `version` in its own directory and returns its path. */
function installScript(version: string, mode = 0o755): string {
  const home = mkdtempSync(join(dir, `host-${counter++}-`));
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
    expect(readFileSync(path, 'utf8')).toBe(makeScript('1.0.1'));
    expect(statSync(path).mode & 0o7777).toBe(0o751);
    expect(seen).toEqual(['HEAD /client/x64', 'GET /client/x64']);
    expect(log.lines).toContain('INFO Found new remote version 1.0.1, current version is 1.0.0. Updating.');
  });

  test('replaces the file a symbolic link points to, not the link', async () => {
    const target = installScript('1.0.0');
    const link = join(dir, `link-${counter++}`);
    symlinkSync(target, link);
    expect((await update(link)).status).toBe('updated');
    expect(readFileSync(target, 'utf8')).toBe(makeScript('1.0.1'));
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
  });

  test('does nothing when the server offers another version than the pinned one', async () => {
    const path = installScript('1.0.0');
    expect((await update(path, { forceVersion: '1.0.5' })).status).toBe('skipped');
    expect(seen).toEqual(['HEAD /client/x64']);
  });

  describe('leaves the old executable in place and no temporary file', () => {
    const expectUntouched = (path: string, version: string) => {
      expect(readFileSync(path, 'utf8')).toBe(makeScript(version));
      expect(readdirSync(join(path, '..'))).toEqual(['debmonitor']);
    };

    test('when the download does not match the announced checksum', async () => {
      offer.checksum = 'a'.repeat(64);
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status).toBe('failed');
      expect(log.lines.join('\n')).toContain(
        'ERROR Unable to self-update this agent: the checksum of the downloaded agent does not match the HTTP header',
      );
      expectUntouched(path, '1.0.0');
    });

    test('when the new build does not report the version announced', async () => {
      offer.body = makeScript('6.6.6');
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(outcome.status === 'failed' && outcome.reason).toContain("reports 'debmonitor-client 6.6.6'");
      expectUntouched(path, '1.0.0');
    });

    test('when the new build does not start', async () => {
      offer.body = '#!/bin/sh\necho broken >&2\nexit 3\n';
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toContain('--version exited 3: broken');
      expectUntouched(path, '1.0.0');
    });

    test('when the server answers the HEAD request with an error', async () => {
      offer.headStatus = 404;
      const path = installScript('1.0.0');
      const outcome = await update(path);
      expect(outcome.status === 'failed' && outcome.reason).toContain('got HTTP 404, expected 200 OK');
      expect(seen).toEqual(['HEAD /client/x64']);
      expectUntouched(path, '1.0.0');
    });

    test('when the server sends no version', async () => {
      delete offer.version;
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
