/**
 * The certificate revocation list in PKI_DIR (crl.pem), for a reverse proxy (nginx's ssl_crl); the
 * native TLS listener reads revocations from the database instead (web/pki/revocations.ts).
 */
import { EC_P256, x509 } from '../lib/x509.ts';
import type { Authority } from './authority.ts';
import { type PkiPaths, writePublicFile } from './pki-files.ts';

/**
 * How long a CRL stays valid. nginx refuses every client once its CRL has expired, so the list is
 * long-lived; `pki revoke` and `pki crl` write a fresh one.
 */
export const CRL_DAYS = 365;

export interface RevokedEntry {
  serial: string;
  revoked: Date;
}

/** Writes crl.pem listing `entries`, signed by the CA. */
export async function writeCrl(
  authority: Authority,
  paths: PkiPaths,
  entries: readonly RevokedEntry[],
  now = new Date(),
): Promise<void> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: authority.certificate.subject,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_DAYS * 86_400_000),
    entries: entries.map((entry) => ({ serialNumber: entry.serial, revocationDate: entry.revoked })),
    signingKey: authority.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(authority.certificate)],
  });
  // "X509 CRL" is the PEM label OpenSSL (and so nginx) looks for.
  writePublicFile(paths.crl, `${x509.PemConverter.encode(crl.rawData, 'X509 CRL')}\n`);
}
