/**
 * Enrollment end to end, as an operator would do it: `pki init` and `enroll-token create` run as
 * commands, a real server with native TLS, the agent's `--enroll` against it (in process, so that
 * what leaves the host can be seen), renewal, and revocation honoured by the TLS listener.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgv } from '../../../src/agent/cli/parse-argv.ts';
import { resolveOptions } from '../../../src/agent/cli/resolve-options.ts';
import { runCli } from '../../../src/agent/cli/run-cli.ts';
import { renewIfDue } from '../../../src/agent/enroll/renew.ts';
import { createLogger } from '../../../src/agent/log.ts';
import { requestWithRetries } from '../../../src/agent/submit/post-json.ts';
import { parseServerAddress } from '../../../src/agent/submit/server-address.ts';
import { loadTlsSettings } from '../../../src/agent/submit/tls-settings.ts';
import { x509 } from '../../../src/lib/x509.ts';
import { runServerCli } from '../../helpers/cli.ts';
import { opensslVerify } from '../../helpers/pki.ts';
import { type ServerProcess, startServerProcess } from '../../helpers/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'enroll-e2e-'));
const pkiDir = join(dir, 'pki');
const configPath = join(dir, 'config.json');
const env = { DEBMONITOR_CONFIG: configPath };
let server: ServerProcess;
let tlsPort = 0;
let fingerprint = '';

/** The host's files and configuration, in a folder of its own. */
function hostFiles(name: string) {
  const base = join(dir, name);
  return {
    conf: join(base, 'debmonitor.conf'),
    cert: join(base, 'ssl/cert.pem'),
    key: join(base, 'ssl/key.pem'),
    ca: join(base, 'ssl/ca.pem'),
  };
}

function createToken(args: string[]): string {
  const run = runServerCli(['enroll-token', 'create', ...args], { cwd: dir, env });
  expect(run.exitCode).toBe(0);
  return run.stdout.trim();
}

/** Runs `debmonitor --config CONF --enroll …` in process; records every body the agent sends. */
async function enroll(conf: string, token: string, extra: string[] = []) {
  const sent: string[] = [];
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['--config', conf, '--enroll', '--server', `127.0.0.1:${tlsPort}`, '--token', token, ...extra],
    {
      env: { DEBMONITOR_SPOOL_DIR: join(dir, 'spool') },
      readStdin: async () => '',
      writeStdout: async (text) => {
        stdout += text;
      },
      writeStderr: (text) => {
        stderr += text;
      },
      send: (method, url, body, policy) => {
        sent.push(body ?? '');
        return requestWithRetries(method, url, body, policy);
      },
    },
  );
  return { code, stdout, stderr, sent };
}

/** GET /auth-check over TLS with a certificate. */
async function authCheck(cert: string, key: string, ca: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`https://127.0.0.1:${tlsPort}/auth-check`, {
    tls: { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8'), ca: [readFileSync(ca, 'utf8')] },
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  writeFileSync(
    configPath,
    JSON.stringify({
      DATABASE_URL: `sqlite:${join(dir, 'debmonitor.sqlite')}`,
      PKI_DIR: pkiDir,
      TLS: {
        CERT: join(pkiDir, 'server.crt'),
        KEY: join(pkiDir, 'server.key'),
        CA: join(pkiDir, 'ca.crt'),
        PORT: 0,
      },
    }),
  );
  const init = runServerCli(['pki', 'init', '--names', 'localhost,127.0.0.1'], { cwd: dir, env });
  expect(init.exitCode).toBe(0);
  fingerprint = /CA fingerprint \(SHA-256\): (\S+)/.exec(init.stdout)?.[1] ?? '';
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  server = await startServerProcess({ cwd: dir, args: [], env });
  for (let tries = 0; tries < 100 && !tlsPort; tries++) {
    tlsPort = Number(/TLS with client certificates on https:\/\/\S+:(\d+)/.exec(server.output())?.[1] ?? 0);
    if (!tlsPort) await Bun.sleep(50);
  }
  expect(tlsPort).toBeGreaterThan(0);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('debmonitor --enroll', () => {
  const host = hostFiles('h1');

  test('writes key, certificate and CA (0600) where the configuration says, completes it, and passes --check', async () => {
    const base = join(dir, 'h1');
    Bun.spawnSync(['mkdir', '-p', base]);
    writeFileSync(
      host.conf,
      `[DEFAULT]\nhostname=h1.example.org\ncert=${host.cert}\nkey=${host.key}\nca=${host.ca}\n`,
    );
    const token = createToken(['--hosts', '*.example.org', '--uses', '1']);
    const run = await enroll(host.conf, token, ['--ca-fingerprint', fingerprint]);
    expect(run.stderr).not.toContain('ERROR');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Enrolled h1.example.org: wrote the key ${host.key}, the certificate ${host.cert}, the CA ${host.ca}`,
    );
    expect(run.stdout).toContain(`server 127.0.0.1:${tlsPort}: OK`);
    for (const path of [host.key, host.cert, host.ca]) {
      const stat = statSync(path);
      expect({ path, mode: stat.mode & 0o777, uid: stat.uid }).toEqual({
        path,
        mode: 0o600,
        uid: process.getuid?.() ?? 0,
      });
    }
    expect(opensslVerify(host.ca, readFileSync(host.cert, 'utf8')).ok).toBe(true);
    expect(readFileSync(host.ca, 'utf8')).toBe(readFileSync(join(pkiDir, 'ca.crt'), 'utf8'));
    const conf = readFileSync(host.conf, 'utf8');
    expect(conf).toContain(`server=127.0.0.1:${tlsPort}\n`);
    expect(conf).toContain('renew_days=30\n');
    expect(conf.match(/^cert=/gm)).toHaveLength(1);
  });

  test('the private key never leaves the host: only a request for its public key is sent', async () => {
    const other = hostFiles('h2');
    Bun.spawnSync(['mkdir', '-p', join(dir, 'h2')]);
    // ca= is set so that the pinned CA is written here, not to the default under /etc.
    writeFileSync(
      other.conf,
      `[DEFAULT]\nhostname=h2.example.org\ncert=${other.cert}\nkey=${other.key}\nca=${other.ca}\n`,
    );
    const run = await enroll(other.conf, createToken([]), ['--ca-fingerprint', fingerprint]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(run.stderr).not.toContain('ERROR');
    const keyPem = readFileSync(other.key, 'utf8');
    const keyBody = keyPem.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(run.sent).toHaveLength(1);
    const sent = run.sent[0] ?? '';
    expect(sent).not.toContain('PRIVATE KEY');
    expect(sent).not.toContain(keyBody.slice(20, 60));
    const request = new x509.Pkcs10CertificateRequest((JSON.parse(sent) as { csr: string }).csr);
    const certificate = new x509.X509Certificate(readFileSync(other.cert, 'utf8'));
    expect(new Uint8Array(request.publicKey.rawData)).toEqual(new Uint8Array(certificate.publicKey.rawData));
    // Nor is it anywhere on the server's side.
    for (const file of [
      ...readdirSync(pkiDir).map((name) => join(pkiDir, name)),
      join(dir, 'debmonitor.sqlite'),
    ]) {
      expect(readFileSync(file).toString('latin1')).not.toContain(keyBody.slice(20, 60));
    }
  });

  test("a used-up token fails with the server's reason and writes nothing", async () => {
    const token = createToken(['--hosts', 'h3.example.org']);
    const first = hostFiles('h3');
    Bun.spawnSync(['mkdir', '-p', join(dir, 'h3')]);
    writeFileSync(
      first.conf,
      `[DEFAULT]\nhostname=h3.example.org\ncert=${first.cert}\nkey=${first.key}\nca=${first.ca}\n`,
    );
    expect((await enroll(first.conf, token, ['--ca-fingerprint', fingerprint])).code).toBe(0);
    rmSync(first.cert);
    const again = await enroll(first.conf, token, ['--ca-fingerprint', fingerprint]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Enrollment failed: 403 Enrollment refused: the token has no use left');
    expect(() => statSync(first.cert)).toThrow();
  });

  test('a wrong CA fingerprint stops before anything is sent', async () => {
    const other = hostFiles('h4');
    const run = await enroll(other.conf, 'whatever', ['--ca-fingerprint', '00'.repeat(32)]);
    expect(run.code).toBe(1);
    expect(run.sent).toEqual([]);
    expect(run.stderr).toContain(`not ${'00'.repeat(32)}: not enrolling`);
  });

  test('a full run renews a certificate that is due, with the current one', async () => {
    const options = await resolveOptions(parseArgv(['--config', host.conf]), {
      env: {},
      readStdin: async () => '',
    });
    expect(options.renewDays).toBe(30); // written by --enroll: not due for a year-long certificate
    const before = readFileSync(host.cert, 'utf8');
    let log = '';
    const logger = createLogger(false, (line) => {
      log += line;
    });
    const policy = {
      tls: loadTlsSettings({ cert: host.cert, key: host.key, ca: host.ca }),
      userAgent: 'test',
      retries: 0,
      retryBackoffSeconds: 0,
      attemptTimeoutMs: 10_000,
      logger,
    };
    const address = parseServerAddress(`127.0.0.1:${tlsPort}`, 443);
    expect(await renewIfDue(options, address, policy, logger)).toBe(false);
    expect(await renewIfDue({ ...options, renewDays: 400 }, address, policy, logger)).toBe(true);
    const after = readFileSync(host.cert, 'utf8');
    expect(after).not.toBe(before);
    expect(opensslVerify(host.ca, after).ok).toBe(true);
    expect(log).toContain('Renewed the certificate of h1.example.org');
    expect((await authCheck(host.cert, host.key, host.ca)).status).toBe(200);
  });
});

describe('revocation', () => {
  test('pki revoke: the TLS listener refuses the host within seconds, and crl.pem lists it', async () => {
    const host = hostFiles('h1');
    expect((await authCheck(host.cert, host.key, host.ca)).status).toBe(200);
    const run = runServerCli(['pki', 'revoke', 'h1.example.org'], { cwd: dir, env });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Revoked 2 certificate(s) of h1.example.org');
    let answer = await authCheck(host.cert, host.key, host.ca);
    for (let tries = 0; tries < 40 && answer.status === 200; tries++) {
      await Bun.sleep(250);
      answer = await authCheck(host.cert, host.key, host.ca);
    }
    expect(answer).toEqual({
      status: 403,
      text: "Client certificate validation failed: 'FAILED:certificate revoked'",
    });
    const verified = opensslVerify(
      join(pkiDir, 'ca.crt'),
      readFileSync(host.cert, 'utf8'),
      join(pkiDir, 'crl.pem'),
    );
    expect(verified.ok).toBe(false);
    expect(verified.output).toContain('certificate revoked');
    // Another host's certificate still works.
    const other = hostFiles('h2');
    expect((await authCheck(other.cert, other.key, join(pkiDir, 'ca.crt'))).status).toBe(200);
  });
});
