/**
 * The client-certificate check of spec §4.1. The certificate comes from the native-TLS front end
 * (tls-server.ts) when there is one, otherwise from the `X-Client-Cert-Verify` and
 * `X-Client-Cert-Subject-DN` headers of a reverse proxy, believed only when the peer address is in
 * TRUSTED_PROXIES (from anyone else they count as absent). On success the host identity is set in
 * `c.var.host`, which also passes the login requirement.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../../config/schema.ts';
import { extractCommonName } from '../../domain/subject-dn.ts';
import { plainText } from '../api-responses.ts';
import type { AppEnv } from '../env.ts';

/** What a request writes or reads, as far as the certificate check is concerned. */
export type CertificateTarget =
  | { kind: 'host'; name: string }
  | { kind: 'image'; name: string }
  | { kind: 'kubernetes' }
  | { kind: 'any' };

const HOST_UPDATE = /^\/hosts\/([^/]+)\/update$/;
const HOST_DETAIL = /^\/hosts\/([^/]+)$/;
const IMAGE_UPDATE = /^\/images\/(.+)\/update$/;
const IMAGE_DETAIL = /^\/images\/(.+)$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Which check a request needs (spec §4.1 step 1), or null for none. `path` is the raw
 * (percent-encoded) path. Package and source-package URLs asked for JSON get only the
 * verified-certificate step: their `name` is a package, not a host (spec §9 item 13).
 */
export function classifyRequest(method: string, path: string, accept: string): CertificateTarget | null {
  let match = HOST_UPDATE.exec(path);
  if (match?.[1]) return { kind: 'host', name: decode(match[1]) };
  match = IMAGE_UPDATE.exec(path);
  if (match?.[1]) return { kind: 'image', name: decode(match[1]) };
  if (path === '/kubernetes/update') return { kind: 'kubernetes' };
  if (path === '/auth-check') return { kind: 'any' };
  const wantsJson = accept.includes('application/json');
  if (method !== 'DELETE' && !wantsJson) return null;
  match = HOST_DETAIL.exec(path);
  if (match?.[1]) return { kind: 'host', name: decode(match[1]) };
  match = IMAGE_DETAIL.exec(path);
  if (match?.[1]) return { kind: 'image', name: decode(match[1]) };
  return wantsJson ? { kind: 'any' } : null;
}

/** The certificate as presented: the verification result and the subject DN (both '' when absent). */
function presentedCertificate(
  c: Context<AppEnv>,
  trusted: ReadonlySet<string>,
): { verify: string; dn: string } {
  const native = c.env?.clientCertificate;
  if (native) {
    return {
      verify: native.verified ? 'SUCCESS' : `FAILED:${native.verifyError ?? 'unknown'}`,
      dn: native.subjectDn,
    };
  }
  if (!trusted.has(c.env?.remoteAddress ?? '')) return { verify: '', dn: '' };
  return {
    verify: c.req.header('X-Client-Cert-Verify') ?? '',
    dn: c.req.header('X-Client-Cert-Subject-DN') ?? '',
  };
}

/** Creates the middleware for a configuration (a no-op when VERIFY_CLIENTS is false). */
export function clientCertificateCheck(config: Config): MiddlewareHandler<AppEnv> {
  const trusted = new Set(config.TRUSTED_PROXIES);
  const proxyHosts = new Set(config.PROXY_HOSTS);
  const proxyImages = new Set(config.PROXY_IMAGES);
  return async (c, next) => {
    if (!config.VERIFY_CLIENTS) return next();
    const target = classifyRequest(c.req.method, new URL(c.req.url).pathname, c.req.header('Accept') ?? '');
    if (!target) return next();
    const { verify, dn } = presentedCertificate(c, trusted);
    if (verify !== 'SUCCESS') return plainText(c, 403, `Client certificate validation failed: '${verify}'`);
    const cn = extractCommonName(dn);
    if (target.kind === 'host' && cn !== target.name && !(cn !== null && proxyHosts.has(cn))) {
      return plainText(c, 403, `Unauthorized to modify host '${target.name}' with certificate '${dn}'`);
    }
    if (target.kind === 'image' && !(cn !== null && proxyImages.has(cn))) {
      return plainText(c, 403, `Unauthorized to modify image '${target.name}' with certificate '${dn}'`);
    }
    if (
      target.kind === 'kubernetes' &&
      config.KUBERNETES_REQUIRE_PROXY &&
      !(cn !== null && proxyImages.has(cn))
    ) {
      return plainText(
        c,
        403,
        `Unauthorized to modify Kubernetes images with certificate '${dn}': its CN must be in PROXY_IMAGES`,
      );
    }
    c.set('host', { commonName: cn, subjectDn: dn });
    return next();
  };
}
