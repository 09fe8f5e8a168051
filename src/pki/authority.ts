/**
 * The built-in certificate authority: made once by `debmonitor-server pki init`, loaded from PKI_DIR
 * to sign host certificates (enrollment, renewal, `pki issue`). Every key is ECDSA P-256.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { OperatorError } from '../lib/operator-error.ts';
import {
  certificatePem,
  EC_P256,
  exportPrivateKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  normalizeSerial,
  x509,
} from '../lib/x509.ts';
import {
  hasAuthority,
  makePkiDir,
  type PkiPaths,
  readPkiFile,
  writePrivateFile,
  writePublicFile,
} from './pki-files.ts';

const DAY_MS = 86_400_000;
/** The CA outlives many host certificates: replacing it means enrolling every host again. */
export const CA_DAYS = 3650;
/** Host and server certificates: a year; agents renew theirs in the last 30 days (docs/agent.md). */
export const CERTIFICATE_DAYS = 365;
/** Clock skew a new certificate tolerates: valid from a little before now. */
const BACKDATE_MS = 5 * 60_000;

/** The CA, ready to sign. */
export interface Authority {
  certificate: x509.X509Certificate;
  certificatePem: string;
  privateKey: CryptoKey;
}

/** A certificate this CA signed, with what the database records of it. */
export interface SignedCertificate {
  pem: string;
  serial: string;
  commonName: string;
  notAfter: Date;
}

/** A positive 128-bit serial, so unlikely to repeat that it identifies a certificate alone. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40; // positive, and no leading zero byte to normalize away
  return bytes.toString('hex');
}

/**
 * Creates the CA and a server certificate for `serverNames` (DNS names or IP addresses) in the
 * directory; refuses to replace an existing CA, whose certificates the hosts hold.
 */
export async function createAuthority(
  paths: PkiPaths,
  serverNames: readonly string[],
  now = new Date(),
): Promise<{ authority: Authority; server: SignedCertificate }> {
  if (hasAuthority(paths)) {
    throw new OperatorError(
      `${paths.caKey} exists already: the hosts' certificates depend on this CA; keep it`,
    );
  }
  if (serverNames.length === 0) throw new OperatorError('pki init needs at least one server name');
  makePkiDir(paths);
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=DebMonitor CA ${serverNames[0]}`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  // The key first: a directory with a certificate and no key would look like a usable CA to nobody.
  writePrivateFile(paths.caKey, await exportPrivateKeyPem(keys.privateKey));
  writePublicFile(paths.caCert, certificatePem(certificate));
  const authority = { certificate, certificatePem: certificatePem(certificate), privateKey: keys.privateKey };
  const serverKeys = await generateKeyPair();
  const server = await signCertificate(authority, {
    commonName: serverNames[0] ?? '',
    publicKey: serverKeys.publicKey,
    serverNames,
    now,
  });
  writePrivateFile(paths.serverKey, await exportPrivateKeyPem(serverKeys.privateKey));
  writePublicFile(paths.serverCert, server.pem);
  return { authority, server };
}

/** Loads the CA from the directory; null when it has none (the site brings its own CA). */
export async function loadAuthority(paths: PkiPaths): Promise<Authority | null> {
  if (!hasAuthority(paths)) return null;
  const certificateText = readPkiFile(paths.caCert);
  try {
    const certificate = new x509.X509Certificate(certificateText);
    const privateKey = await importPrivateKeyPem(readPkiFile(paths.caKey));
    return { certificate, certificatePem: certificatePem(certificate), privateKey };
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    throw new OperatorError(`Cannot use the CA in ${paths.dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export interface SignOptions {
  commonName: string;
  publicKey: x509.PublicKey | CryptoKey;
  /** A server certificate for these names; otherwise a client certificate for `commonName`. */
  serverNames?: readonly string[];
  days?: number;
  now?: Date;
}

/** Signs a certificate whose subject is `CN=<commonName>` alone, whatever the request asked for. */
export async function signCertificate(
  authority: Authority,
  options: SignOptions,
): Promise<SignedCertificate> {
  const now = options.now ?? new Date();
  const notAfter = new Date(now.getTime() + (options.days ?? CERTIFICATE_DAYS) * DAY_MS);
  notAfter.setMilliseconds(0); // certificates hold whole seconds; the database row must say the same
  const serial = randomSerial();
  const names = options.serverNames ?? [options.commonName];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${options.commonName}`,
    issuer: authority.certificate.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    signingKey: authority.privateKey,
    publicKey: options.publicKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        options.serverNames ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(
        names.map((name) =>
          isIP(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name },
        ),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate),
    ],
  });
  return {
    pem: certificatePem(certificate),
    serial: normalizeSerial(serial),
    commonName: options.commonName,
    notAfter,
  };
}
