/**
 * The client-certificate check (docs/protocol.md, "Client certificates"). The certificate comes from
 * the native-TLS front end (tls-server.ts) when there is one, otherwise from the
 * `X-Client-Cert-Verify` and `X-Client-Cert-Subject-DN` headers of a reverse proxy, believed only
 * when the peer address is in TRUSTED_PROXIES (from anyone else they count as absent).
 */
import type { Context } from 'hono';
import type { Config } from '../../config/schema.ts';
import { extractCommonName } from '../../domain/subject-dn.ts';
import { plainText } from '../api-responses.ts';
import type { AppEnv, HostIdentity } from '../env.ts';
import { clientAddress, isTrustedProxy } from '../http/request-origin.ts';

/** What a request writes or reads, as far as the certificate is concerned. */
export type CertificateTarget =
  | { kind: 'host'; name: string }
  | { kind: 'image'; name: string }
  | { kind: 'kubernetes' }
  | { kind: 'any' };

/** The configuration the check needs, as sets, built once per app. */
export interface CertificatePolicy {
  verifyClients: boolean;
  trustedProxies: readonly string[];
  proxyHosts: ReadonlySet<string>;
  proxyImages: ReadonlySet<string>;
  kubernetesRequiresProxy: boolean;
}

/** Builds the policy of a configuration. */
export function createCertificatePolicy(config: Config): CertificatePolicy {
  return {
    verifyClients: config.VERIFY_CLIENTS,
    trustedProxies: config.TRUSTED_PROXIES,
    proxyHosts: new Set(config.PROXY_HOSTS),
    proxyImages: new Set(config.PROXY_IMAGES),
    kubernetesRequiresProxy: config.KUBERNETES_REQUIRE_PROXY,
  };
}

/** The certificate as presented: the verification result and the subject DN (both '' when absent). */
function presentedCertificate(c: Context<AppEnv>, policy: CertificatePolicy): { verify: string; dn: string } {
  const native = c.env?.clientCertificate;
  if (native) {
    return {
      verify: native.verified ? 'SUCCESS' : `FAILED:${native.verifyError ?? 'unknown'}`,
      dn: native.subjectDn,
    };
  }
  if (!isTrustedProxy(policy.trustedProxies, c.env?.remoteAddress ?? '')) return { verify: '', dn: '' };
  return {
    verify: c.req.header('X-Client-Cert-Verify') ?? '',
    dn: c.req.header('X-Client-Cert-Subject-DN') ?? '',
  };
}

/**
 * Checks the request's certificate against `target`: the identity it proves, or the 403 answer
 * (with upstream's texts, which operators grep for).
 */
export function checkCertificate(
  c: Context<AppEnv>,
  policy: CertificatePolicy,
  target: CertificateTarget,
): { ok: true; host: HostIdentity } | { ok: false; response: Response } {
  const { verify, dn } = presentedCertificate(c, policy);
  const refuse = (message: string) => ({ ok: false as const, response: plainText(c, 403, message) });
  if (verify !== 'SUCCESS') return refuse(`Client certificate validation failed: '${verify}'`);
  const cn = extractCommonName(dn);
  const isProxyFor = (names: ReadonlySet<string>) => cn !== null && names.has(cn);
  if (target.kind === 'host' && cn !== target.name && !isProxyFor(policy.proxyHosts)) {
    return refuse(`Unauthorized to modify host '${target.name}' with certificate '${dn}'`);
  }
  if (target.kind === 'image' && !isProxyFor(policy.proxyImages)) {
    return refuse(`Unauthorized to modify image '${target.name}' with certificate '${dn}'`);
  }
  if (target.kind === 'kubernetes' && policy.kubernetesRequiresProxy && !isProxyFor(policy.proxyImages)) {
    return refuse(
      `Unauthorized to modify Kubernetes images with certificate '${dn}': its CN must be in PROXY_IMAGES`,
    );
  }
  return { ok: true, host: { commonName: cn, subjectDn: dn } };
}

/**
 * What an agent request's log line adds about its sender: nothing when certificates are checked;
 * with VERIFY_CLIENTS off, that no certificate was checked and the client's address, the only trace
 * of who sent it.
 */
export function describeUncheckedSender(c: Context<AppEnv>): string {
  if (c.var.certificatePolicy.verifyClients) return '';
  return ` (from ${clientAddress(c)}, no certificate checked: VERIFY_CLIENTS is off)`;
}
