/**
 * The host's side of enrollment and renewal (docs/agent.md, "Enrollment"): a new key made here with
 * WebCrypto and a PKCS#10 request for it, then the checks of what the server signed. Only the
 * request, which holds the public key, is ever sent.
 */
import * as v from 'valibot';
import { EC_P256, exportPrivateKeyPem, generateKeyPair, x509 } from '../../lib/x509.ts';
import { type CertificateAnswer, CertificateAnswerSchema } from '../../protocol/enrollment.ts';
import { AgentError } from '../errors.ts';

export interface KeyAndRequest {
  /** PKCS#8 PEM: written to the key file, never sent. */
  keyPem: string;
  /** PEM PKCS#10 request with `CN=<hostname>`. */
  csrPem: string;
  /** The public key's DER, to recognise the certificate made for it. */
  publicKeyDer: ArrayBuffer;
}

/** Makes a P-256 key and a certificate request for `hostname`. */
export async function makeKeyAndRequest(hostname: string): Promise<KeyAndRequest> {
  const keys = await generateKeyPair();
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${hostname}`,
    keys,
    signingAlgorithm: EC_P256,
  });
  return {
    keyPem: await exportPrivateKeyPem(keys.privateKey),
    csrPem: `${request.toString('pem')}\n`,
    publicKeyDer: await crypto.subtle.exportKey('spki', keys.publicKey),
  };
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const left = new Uint8Array(a);
  const right = new Uint8Array(b);
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

/**
 * Reads a 201 answer and checks it before anything is written: a certificate for this key and this
 * name, signed by the CA that comes with it.
 */
export async function checkAnswer(
  body: string,
  hostname: string,
  request: KeyAndRequest,
): Promise<CertificateAnswer> {
  let answer: CertificateAnswer;
  try {
    answer = v.parse(CertificateAnswerSchema, JSON.parse(body));
  } catch {
    throw new AgentError('The server answered 201 without a certificate and a CA in JSON');
  }
  const certificate = new x509.X509Certificate(answer.certificate);
  const ca = new x509.X509Certificate(answer.ca);
  if (!sameBytes(certificate.publicKey.rawData, request.publicKeyDer)) {
    throw new AgentError('The server signed another key than the one this host made');
  }
  if (certificate.subjectName.getField('CN')[0] !== hostname) {
    throw new AgentError(`The server's certificate is for '${certificate.subject}', not CN=${hostname}`);
  }
  if (!(await certificate.verify({ publicKey: ca.publicKey, signatureOnly: true }))) {
    throw new AgentError('The certificate the server sent is not signed by the CA it sent');
  }
  return answer;
}

/** The SHA-256 fingerprint of a PEM certificate, as hex without separators, upper case. */
export async function fingerprintOf(pem: string): Promise<string> {
  const certificate = new x509.X509Certificate(pem);
  const digest = await crypto.subtle.digest('SHA-256', certificate.rawData);
  return Buffer.from(digest).toString('hex').toUpperCase();
}

/** A fingerprint as typed (`AB:CD:…`, `abcd…`, `sha256:…`): upper-case hex alone. */
export function normalizeFingerprint(text: string): string {
  return text
    .replace(/^sha256:/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
}
