/**
 * `debmonitor-server pki …` and `enroll-token …` run as commands, on a SQLite file: in this process
 * (runServerCliInProcess), but for a success and a failure run as real processes.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, runServerCli, runServerCliInProcess } from '../helpers/cli.ts';
import { opensslVerify } from '../helpers/pki.ts';

const dir = mkdtempSync(join(tmpdir(), 'pki-cli-'));
const configPath = join(dir, 'config.json');
writeFileSync(configPath, JSON.stringify({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` }));
const env = { DEBMONITOR_CONFIG: configPath };
const pkiDir = join(dir, 'pki');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runServerCliInProcess(args, { cwd: dir, env });
const runProcess = (args: string[]) => runServerCli(args, { cwd: dir, env });

describe('before pki init', () => {
  test('issue says how to make the CA', async () => {
    expectOneLineError(runProcess(['pki', 'issue', 'h1.example.org']), 1, [
      `${pkiDir} holds no CA`,
      'pki init',
    ]);
  });
  test('enroll-token create warns that enrollment cannot work yet, and still makes the token', async () => {
    const created = await run(['enroll-token', 'create']);
    expect(created.exitCode).toBe(0);
    expect(created.stderr).toContain('holds no CA yet');
  });
});

describe('pki init', () => {
  test('makes the CA beside the SQLite file by default, keys 0600, and a server certificate for the names given', async () => {
    const init = runProcess(['pki', 'init', '--names', 'debmonitor.example.org,192.0.2.7']);
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain(`"TLS": {"CERT": "${pkiDir}/server.crt"`);
    expect(statSync(join(pkiDir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(pkiDir, 'server.key')).mode & 0o777).toBe(0o600);
    expect(statSync(pkiDir).mode & 0o777).toBe(0o700);
    const server = readFileSync(join(pkiDir, 'server.crt'), 'utf8');
    expect(opensslVerify(join(pkiDir, 'ca.crt'), server).ok).toBe(true);
    const text = Bun.spawnSync(['openssl', 'x509', '-noout', '-ext', 'subjectAltName'], {
      stdin: Buffer.from(server),
    });
    expect(text.stdout.toString()).toContain('DNS:debmonitor.example.org, IP Address:192.0.2.7');
  });
  test('refuses to replace the CA', async () => {
    expectOneLineError(await run(['pki', 'init']), 1, ['ca.key exists already']);
  });
});

describe('pki issue, list, revoke', () => {
  test('issue writes a key (0600) and a certificate openssl verifies, and records it', async () => {
    const issued = await run(['pki', 'issue', 'h1.example.org', '--out', dir]);
    expect(issued.exitCode).toBe(0);
    expect(statSync(join(dir, 'h1.example.org.key')).mode & 0o777).toBe(0o600);
    expect(
      opensslVerify(join(pkiDir, 'ca.crt'), readFileSync(join(dir, 'h1.example.org.crt'), 'utf8')).ok,
    ).toBe(true);
    expect((await run(['pki', 'list'])).stdout).toMatch(/h1\.example\.org +[0-9a-f]+ +\S+ +command +valid/);
  });
  test('issue refuses what is not a host name', async () => {
    expectOneLineError(await run(['pki', 'issue', 'a,O=x']), 1, ["'a,O=x' is not a host name"]);
  });
  test('revoke marks it revoked and writes a CRL openssl honours', async () => {
    const revoked = await run(['pki', 'revoke', 'h1.example.org']);
    expect(revoked.exitCode).toBe(0);
    const verified = opensslVerify(
      join(pkiDir, 'ca.crt'),
      readFileSync(join(dir, 'h1.example.org.crt'), 'utf8'),
      join(pkiDir, 'crl.pem'),
    );
    expect(verified.output).toContain('certificate revoked');
    expect((await run(['pki', 'list'])).stdout).toMatch(/h1\.example\.org .* revoked /);
    expectOneLineError(await run(['pki', 'revoke', 'h1.example.org']), 1, [
      "No valid certificate of 'h1.example.org'",
    ]);
    expect((await run(['pki', 'crl'])).stdout).toContain('(1 revoked)');
  });
});

describe('pki revoke by serial', () => {
  /** The serials `pki list` prints for a CN, with their status. */
  const listed = async (cn: string) =>
    [
      ...(await run(['pki', 'list'])).stdout.matchAll(
        new RegExp(`^${cn.replaceAll('.', '\\.')} +([0-9a-f]+) +\\S+ +\\S+ +(\\w+)`, 'gm'),
      ),
    ].map((match) => ({ serial: match[1] ?? '', status: match[2] ?? '' }));

  test('revokes exactly the certificate whose serial pki list printed, and no other of the host', async () => {
    const out = join(dir, 'serial');
    // --out makes the folder it is given.
    for (const copy of ['a', 'b'])
      expect((await run(['pki', 'issue', 'h2.example.org', '--out', join(out, copy)])).exitCode).toBe(0);
    const [first, second] = await listed('h2.example.org');
    expect([first?.status, second?.status]).toEqual(['valid', 'valid']);
    const revoked = await run(['pki', 'revoke', first?.serial ?? '']);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain(
      `Revoked 1 certificate(s) with serial ${first?.serial}: ${first?.serial}`,
    );
    expect(await listed('h2.example.org')).toEqual([
      { serial: first?.serial ?? '', status: 'revoked' },
      { serial: second?.serial ?? '', status: 'valid' },
    ]);
    const crlCheck = (copy: string) =>
      opensslVerify(
        join(pkiDir, 'ca.crt'),
        readFileSync(join(out, copy, 'h2.example.org.crt'), 'utf8'),
        join(pkiDir, 'crl.pem'),
      );
    const revokedCopy = crlCheck('a').output.includes('certificate revoked') ? 'a' : 'b';
    expect(crlCheck(revokedCopy === 'a' ? 'b' : 'a').ok).toBe(true);
  });

  test("takes openssl's spelling too: upper case, colon-separated pairs, leading zeros", async () => {
    const [, second] = await listed('h2.example.org');
    const serial = second?.serial ?? '';
    const openssl = `00${serial}`.toUpperCase().match(/../g)?.join(':') ?? '';
    const revoked = await run(['pki', 'revoke', openssl]);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain(`with serial ${serial}`);
    expect((await listed('h2.example.org')).map((row) => row.status)).toEqual(['revoked', 'revoked']);
  });

  test('a serial that names no valid certificate is an error naming it', async () => {
    const [first] = await listed('h2.example.org');
    expectOneLineError(await run(['pki', 'revoke', first?.serial ?? '']), 1, [
      `No valid certificate with serial ${first?.serial}`,
    ]);
  });
});

describe('enroll-token', () => {
  test('create prints a 256-bit token, which list never shows', async () => {
    const created = await run([
      'enroll-token',
      'create',
      '--hosts',
      '*.example.org',
      '--uses',
      '5',
      '--expires',
      '7d',
    ]);
    expect(created.exitCode).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain("enrolls 5 host(s) matching '*.example.org'");
    expect(created.stderr).toContain('--ca-fingerprint ');
    const listed = (await run(['enroll-token', 'list'])).stdout;
    expect(listed).toMatch(/\*\.example\.org +5 +\S+ +valid/);
    expect(listed).not.toContain(token);
    expect(readFileSync(join(dir, 'db.sqlite')).toString('latin1')).not.toContain(token);
  });
  test('remove deletes a token', async () => {
    expect((await run(['enroll-token', 'remove', '1'])).stdout).toBe('Removed enrollment token #1\n');
    expectOneLineError(await run(['enroll-token', 'remove', '1']), 1, ['No enrollment token #1']);
  });
  test('bad values are refused in one line', async () => {
    expectOneLineError(await run(['enroll-token', 'create', '--hosts', 'a b']), 1, [
      "--hosts 'a b' may hold",
    ]);
    expectOneLineError(await run(['enroll-token', 'create', '--uses', '0']), 1, [
      '--uses takes a number from 1',
    ]);
    expectOneLineError(await run(['enroll-token', 'create', '--expires', '1y']), 1, [
      '--expires takes a duration',
    ]);
  });
});
