/**
 * The quickstart's TLS for agents (README, "Quickstart"): with AUTO_TLS and no TLS block, `serve`
 * makes the built-in CA in PKI_DIR on its first start (as `pki init` would) and then uses the CA and
 * server certificate found there, so an agent can enroll without anyone running openssl.
 */
import { lookup, lookupService } from 'node:dns/promises';
import { hostname, networkInterfaces } from 'node:os';
import { createAuthority, loadAuthority } from './authority.ts';
import { writeCrl } from './crl.ts';
import { fingerprintOf } from './fingerprint.ts';
import { hasAuthority, type PkiPaths } from './pki-files.ts';

/** The TLS files of the local CA, and what a start tells the operator about them. */
export interface LocalCa {
  certPath: string;
  keyPath: string;
  caPath: string;
  /** SHA-256 fingerprint of the CA certificate (`--ca-fingerprint`). */
  fingerprint: string;
  /** The server names of a CA made by this call; null when the directory held one already. */
  createdFor: string[] | null;
}

/** Uses the CA of the directory, making it (and the server certificate) for `names` when there is none. */
export async function ensureLocalCa(
  paths: PkiPaths,
  names: () => Promise<string[]> = defaultServerNames,
): Promise<LocalCa> {
  let createdFor: string[] | null = null;
  if (!hasAuthority(paths)) {
    createdFor = await names();
    const { authority } = await createAuthority(paths, createdFor);
    await writeCrl(authority, paths, []);
  }
  const authority = await loadAuthority(paths);
  if (!authority) throw new Error(`${paths.caKey} vanished`);
  return {
    certPath: paths.serverCert,
    keyPath: paths.serverKey,
    caPath: paths.caCert,
    fingerprint: fingerprintOf(authority.certificate),
    createdFor,
  };
}

/** How long the FQDN lookup may take: a dead resolver must not hold the start. */
const RESOLVE_TIMEOUT_MS = 2000;

/**
 * The names hosts may use to reach this machine: its host name, its FQDN when that differs,
 * `localhost`, `127.0.0.1`, `::1`, and the addresses of its network interfaces (link-local excepted).
 */
export async function defaultServerNames(): Promise<string[]> {
  const name = hostname();
  const names = [name, await resolveFqdn(name), 'localhost', '127.0.0.1', '::1'];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (!address.internal && !address.address.startsWith('fe80:')) names.push(address.address);
    }
  }
  return [...new Set(names.filter(Boolean))];
}

/** The name the host name's address resolves back to, if fully qualified; else the host name. */
async function resolveFqdn(name: string): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), RESOLVE_TIMEOUT_MS);
  });
  const resolved = await Promise.race([
    lookup(name)
      .then(({ address }) => lookupService(address, 0))
      .then((answer) => answer.hostname)
      .catch(() => undefined),
    timeout,
  ]);
  clearTimeout(timer);
  return resolved?.includes('.') ? resolved : name;
}
