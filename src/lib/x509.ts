/**
 * The one entry to @peculiar/x509 (certificates, requests and CRLs on WebCrypto): its dependency
 * injection container needs the Reflect metadata polyfill loaded first, which this module guarantees
 * by importing it before the library. Also the PEM and key helpers both programs share.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export { x509 };

/** The key type of every key the built-in CA and the agent make: ECDSA P-256, signing with SHA-256. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A new extractable P-256 key pair. */
export function generateKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
}

/** A private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the form OpenSSL and Bun read. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

/** Imports a PKCS#8 PEM P-256 private key for signing. */
export function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error('no PEM block in the key file');
  return crypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
}

/** A certificate as PEM, ending with a newline. */
export function certificatePem(certificate: x509.X509Certificate): string {
  return `${certificate.toString('pem')}\n`;
}

/** A serial number as compared everywhere: lowercase hex without leading zeros. */
export function normalizeSerial(serial: string): string {
  return serial.toLowerCase().replace(/^0+(?=.)/, '');
}
