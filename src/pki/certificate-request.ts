/** Reading a host's certificate request: its signature, its one CN, its key (docs/protocol.md, "Enrollment"). */
import { x509 } from '../lib/x509.ts';

export type ParsedRequest =
  | { ok: true; commonName: string; publicKey: x509.PublicKey }
  | { ok: false; message: string };

/**
 * Parses a PEM PKCS#10 request and checks its self-signature, which proves that whoever sent it
 * holds the private key; a request must name exactly one CN.
 */
export async function parseCertificateRequest(pem: string): Promise<ParsedRequest> {
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(pem);
  } catch (error) {
    return {
      ok: false,
      message: `the certificate request is not a PEM PKCS#10 request (${(error as Error).message})`,
    };
  }
  let verified = false;
  try {
    verified = await request.verify();
  } catch {
    verified = false;
  }
  if (!verified) return { ok: false, message: "the certificate request's signature does not verify" };
  const names = request.subjectName.getField('CN');
  if (names.length !== 1 || !names[0])
    return { ok: false, message: 'the certificate request must name exactly one CN' };
  return { ok: true, commonName: names[0], publicKey: request.publicKey };
}
