/**
 * Enrollment and renewal (docs/protocol.md, "Enrollment"): the checks between a certificate
 * request and a signed certificate. The request's signature proves the host holds the key, which
 * never leaves it; the CN must be the host's name; an enrollment also needs a token that allows
 * that name and still has a use, taken in the transaction that records the certificate.
 */
import type { Database } from '../../db/open-database.ts';
import { isHostName, matchesHostPattern } from '../../domain/host-pattern.ts';
import { sha256Hex } from '../../lib/tokens.ts';
import { type Authority, type SignedCertificate, signCertificate } from '../../pki/authority.ts';
import { parseCertificateRequest } from '../../pki/certificate-request.ts';
import type { EnrollRequest } from '../../protocol/enrollment.ts';
import { findEnrollToken } from '../../store/pki/enroll-tokens.ts';
import { recordCertificate, recordEnrolledCertificate } from '../../store/pki/issued-certificates.ts';

export type SignOutcome =
  | { ok: true; certificate: SignedCertificate; tokenId?: number }
  | { ok: false; status: 400 | 403; message: string };

const refuse = (status: 400 | 403, message: string): SignOutcome => ({ ok: false, status, message });

/** Why a token cannot enroll `hostname` now, or null when it can. */
function explainTokenRefusal(
  token: { hostPattern: string; usesLeft: number; expires: Date } | null,
  hostname: string,
  now: Date,
): string | null {
  if (!token) return 'Enrollment refused: unknown token';
  if (token.expires.getTime() <= now.getTime()) {
    return `Enrollment refused: the token expired at ${token.expires.toISOString()}`;
  }
  if (token.usesLeft <= 0) return 'Enrollment refused: the token has no use left';
  if (!matchesHostPattern(token.hostPattern, hostname)) {
    return `Enrollment refused: the token does not allow '${hostname}' (it allows '${token.hostPattern}')`;
  }
  return null;
}

/** A certificate for `hostname` from its request, or why not; the request's CN must be the name. */
async function signFor(authority: Authority, hostname: string, csr: string, prefix: string, now: Date) {
  const request = await parseCertificateRequest(csr);
  if (!request.ok) return refuse(400, `${prefix}: ${request.message}`);
  if (request.commonName !== hostname) {
    return refuse(
      400,
      `${prefix}: the certificate request's CN '${request.commonName}' is not the host name`,
    );
  }
  return {
    ok: true as const,
    certificate: await signCertificate(authority, {
      commonName: hostname,
      publicKey: request.publicKey,
      now,
    }),
  };
}

/** Signs an enrolling host's request when its token allows it; nothing is recorded otherwise. */
export async function enrollHost(
  database: Database,
  authority: Authority,
  body: EnrollRequest,
  now = new Date(),
): Promise<SignOutcome> {
  const { hostname } = body;
  const prefix = `Unable to enroll '${hostname}'`;
  if (!isHostName(hostname))
    return refuse(400, `${prefix}: not a host name (letters, digits, hyphens and dots)`);
  const tokenHash = sha256Hex(body.token);
  const token = await findEnrollToken(database, tokenHash);
  const refusal = explainTokenRefusal(token, hostname, now);
  if (refusal || !token) return refuse(403, refusal ?? 'Enrollment refused: unknown token');
  const signed = await signFor(authority, hostname, body.csr, prefix, now);
  if (!signed.ok) return signed;
  // The signed certificate is handed out only if the use is still there when it is recorded.
  if (!(await recordEnrolledCertificate(database, tokenHash, signed.certificate, now))) {
    const again = explainTokenRefusal(await findEnrollToken(database, tokenHash), hostname, now);
    return refuse(403, again ?? 'Enrollment refused: the token has no use left');
  }
  return { ok: true, certificate: signed.certificate, tokenId: token.id };
}

/** Signs a new certificate for a host that proved its current one (the route's access rule). */
export async function renewHost(
  database: Database,
  authority: Authority,
  hostname: string,
  csr: string,
  now = new Date(),
): Promise<SignOutcome> {
  const signed = await signFor(
    authority,
    hostname,
    csr,
    `Unable to renew the certificate of '${hostname}'`,
    now,
  );
  if (!signed.ok) return signed;
  await recordCertificate(database, signed.certificate, 'renewal', now);
  return signed;
}
