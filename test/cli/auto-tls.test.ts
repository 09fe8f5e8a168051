/**
 * `serve` without a configuration file (README, "Quickstart"): the first start makes the built-in CA
 * beside the SQLite file and listens with TLS for agents; later starts use that CA; a configuration
 * file or --no-auto-tls keeps today's behaviour (no CA, no TLS listener).
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from '../../src/lib/x509.ts';
import { fingerprintOf } from '../../src/pki/fingerprint.ts';
import { expectOneLineError, runServerCli } from '../helpers/cli.ts';
import { startServerProcess } from '../helpers/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-auto-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function workDir(name: string): string {
  const path = join(dir, name);
  Bun.spawnSync(['mkdir', '-p', join(path, 'data')]);
  return path;
}

/**
 * Starts `serve` in `cwd` with no DEBMONITOR_* setting of the test run; returns its log once stopped.
 * The lines after "listening on" (the TLS ones) may reach the pipe later: its output is read once the
 * TLS line is there, or after a second without it.
 */
async function serveOnce(cwd: string, args: string[], check?: (output: string) => Promise<void>) {
  const env: Record<string, string> = { DEBMONITOR_CONFIG: '', DEBMONITOR_DATABASE_URL: '' };
  const server = await startServerProcess({ cwd, args, env });
  try {
    for (let waited = 0; waited < 1000 && !/for the command/.test(server.output()); waited += 50) {
      await Bun.sleep(50);
    }
    await check?.(server.output());
  } finally {
    expect(await server.stop()).toBe(0);
  }
  return server.output();
}

function tlsUrlOf(output: string): string | undefined {
  return /TLS with client certificates on (https:\S+)/.exec(output)?.[1];
}

describe('serve with no configuration file', () => {
  const cwd = workDir('first');
  const pki = join(cwd, 'data/pki');
  let fingerprint = '';

  test('makes the CA beside the SQLite file and serves agents over TLS with its server certificate', async () => {
    const output = await serveOnce(cwd, ['--database', 'sqlite:data/dm.sqlite'], async (log) => {
      const url = tlsUrlOf(log);
      expect(url).toBeDefined();
      const ca = readFileSync(join(pki, 'ca.crt'), 'utf8');
      // Verified with the CA alone, for 127.0.0.1: the server certificate covers the loopback address.
      const response = await fetch(`${url}/enroll/ca`, { tls: { ca: [ca] } });
      expect(response.status).toBe(200);
      expect((await response.text()).trim()).toBe(ca.trim());
    });
    fingerprint = fingerprintOf(new x509.X509Certificate(readFileSync(join(pki, 'ca.crt'), 'utf8')));
    expect(output).toContain(`Created the built-in CA in ${pki} (AUTO_TLS)`);
    expect(output).toContain(`CA fingerprint (SHA-256): ${fingerprint}`);
    expect(output).toMatch(/open http:\S+\/agent\/ for the command/);
    for (const file of ['ca.key', 'ca.crt', 'server.key', 'server.crt', 'crl.pem']) {
      expect(existsSync(join(pki, file))).toBe(true);
    }
  });

  test('a second start uses the same CA and says so without making one', async () => {
    const output = await serveOnce(cwd, ['--database', 'sqlite:data/dm.sqlite']);
    expect(output).not.toContain('Created the built-in CA');
    expect(output).toContain(`CA fingerprint (SHA-256): ${fingerprint}`);
    expect(tlsUrlOf(output)).toBeDefined();
  });
});

/** A loopback port held open by this process until `close`. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  const port = await new Promise<number>((resolvePort) =>
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as { port: number }).port)),
  );
  return { port, server };
}

describe('the TLS port', () => {
  test('--tls-port chooses it', async () => {
    const cwd = workDir('tls-port');
    const held = await holdPort();
    held.server.close();
    const output = await serveOnce(cwd, [
      '--database',
      'sqlite:data/dm.sqlite',
      '--tls-port',
      String(held.port),
    ]);
    expect(tlsUrlOf(output)).toBe(`https://127.0.0.1:${held.port}`);
  });

  test('a busy one stops the start in one line that says how to move it or turn it off', async () => {
    const cwd = workDir('tls-port-busy');
    const held = await holdPort();
    try {
      const run = runServerCli(
        ['serve', '--port', '0', '--tls-port', String(held.port), '--database', 'sqlite:data/dm.sqlite'],
        {
          cwd,
        },
      );
      expectOneLineError(run, 1, [`127.0.0.1:${held.port}`, 'already in use', '--tls-port', '--no-auto-tls']);
    } finally {
      held.server.close();
    }
  });
});

describe("today's behaviour is kept", () => {
  test('with a configuration file: no CA, no TLS listener', async () => {
    const cwd = workDir('with-config');
    writeFileSync(join(cwd, 'config.json'), JSON.stringify({ DATABASE_URL: 'sqlite:data/dm.sqlite' }));
    const output = await serveOnce(cwd, ['--config', 'config.json']);
    expect(tlsUrlOf(output)).toBeUndefined();
    expect(existsSync(join(cwd, 'data/pki'))).toBe(false);
  });

  test('with --no-auto-tls: no CA, no TLS listener', async () => {
    const cwd = workDir('no-auto-tls');
    const output = await serveOnce(cwd, ['--database', 'sqlite:data/dm.sqlite', '--no-auto-tls']);
    expect(tlsUrlOf(output)).toBeUndefined();
    expect(existsSync(join(cwd, 'data/pki'))).toBe(false);
  });
});
