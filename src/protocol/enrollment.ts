/**
 * Certificate enrollment and renewal between the agent and the built-in CA (docs/protocol.md,
 * "Enrollment"): the request bodies, the answer, and their limits.
 */
import * as v from 'valibot';

/** Where a host without a certificate asks for one, with a token. */
export const ENROLL_PATH = '/enroll';
/** Where anyone may fetch the CA certificate (to pin its fingerprint before trusting it). */
export const ENROLL_CA_PATH = '/enroll/ca';

/** Where a host renews its certificate, authenticated by the current one. */
export function renewPath(hostname: string): string {
  return `/hosts/${encodeURIComponent(hostname)}/certificate`;
}

/** Largest enrollment or renewal body: a P-256 request is under 1 KB, an RSA 4096 one under 2.5 KB. */
export const MAX_ENROLL_BYTES = 16 * 1024;

const Pem = v.pipe(v.string(), v.maxLength(12 * 1024), v.includes('-----BEGIN CERTIFICATE REQUEST-----'));

export const EnrollRequestSchema = v.object({
  /** The enrollment token, as `debmonitor-server enroll-token create` printed it. */
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** The name the host reports; the request's CN must be exactly this. */
  hostname: v.pipe(v.string(), v.minLength(1), v.maxLength(253)),
  /** A PKCS#10 certificate request in PEM. */
  csr: Pem,
});
export type EnrollRequest = v.InferOutput<typeof EnrollRequestSchema>;

export const RenewRequestSchema = v.object({ csr: Pem });
export type RenewRequest = v.InferOutput<typeof RenewRequestSchema>;

/** The answer to an enrollment or renewal (201): the new certificate and the CA that signed it. */
export const CertificateAnswerSchema = v.object({
  certificate: v.pipe(v.string(), v.includes('-----BEGIN CERTIFICATE-----')),
  ca: v.pipe(v.string(), v.includes('-----BEGIN CERTIFICATE-----')),
});
export type CertificateAnswer = v.InferOutput<typeof CertificateAnswerSchema>;
