/** The SHA-256 fingerprint of a certificate, as `openssl x509 -fingerprint -sha256` prints it. */
import { createHash } from 'node:crypto';
import type { x509 } from '../lib/x509.ts';

export function fingerprintOf(certificate: x509.X509Certificate): string {
  const hex = createHash('sha256').update(new Uint8Array(certificate.rawData)).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? hex;
}
