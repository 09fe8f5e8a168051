/** The built-in CA in a temporary folder, tokens, and certificate requests made like the agent's. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/db/open-database.ts';
import { sha256Hex } from '../../src/lib/tokens.ts';
import { EC_P256, generateKeyPair, x509 } from '../../src/lib/x509.ts';
import { type Authority, createAuthority } from '../../src/pki/authority.ts';
import { pkiPaths } from '../../src/pki/pki-files.ts';
import { createEnrollToken } from '../../src/store/pki/enroll-tokens.ts';

/** A CA with a server certificate for localhost and 127.0.0.1, in a new folder. */
export async function createTestAuthority(): Promise<{ dir: string; authority: Authority }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'pki-')), 'pki');
  const { authority } = await createAuthority(pkiPaths(dir), ['localhost', '127.0.0.1']);
  return { dir, authority };
}

/** Stores a token and returns it. */
export async function addToken(
  database: Database,
  options: { hosts?: string; uses?: number; expires?: Date; token?: string } = {},
): Promise<string> {
  const token = options.token ?? `token-${crypto.randomUUID()}`;
  await createEnrollToken(database, {
    tokenHash: sha256Hex(token),
    hostPattern: options.hosts ?? '*',
    uses: options.uses ?? 1,
    expires: options.expires ?? new Date(Date.now() + 3_600_000),
  });
  return token;
}

/** A certificate request for `name` (its CN), with its key. */
export async function makeRequest(name: string): Promise<{ csr: string; keys: CryptoKeyPair }> {
  const keys = await generateKeyPair();
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: EC_P256,
  });
  return { csr: request.toString('pem'), keys };
}

/** `openssl verify` of a PEM certificate against the CA file (and a CRL): its exit code and output. */
export function opensslVerify(
  caPath: string,
  certificatePem: string,
  crlPath?: string,
): { ok: boolean; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'verify-')), 'cert.pem');
  writeFileSync(file, certificatePem);
  const crl = crlPath ? ['-crl_check', '-CRLfile', crlPath] : [];
  const run = Bun.spawnSync(['openssl', 'verify', ...crl, '-CAfile', caPath, file], {
    stdout: 'pipe',
    stderr: 'pipe',
  });
  return { ok: run.exitCode === 0, output: `${run.stdout.toString()}${run.stderr.toString()}` };
}
