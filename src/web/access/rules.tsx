/** @jsxImportSource hono/jsx */
/**
 * Access rules: every route declares one as its first middleware (docs/architecture.md, "Access
 * rules"). A rule decides on what the router matched (the decoded path and its parameters), so a
 * percent-encoded path cannot reach a handler under another rule than the one its route declares;
 * `refuseUnruledRoutes` (guard.ts) refuses any request whose handler has no rule before it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { plainText } from '../api-responses.ts';
import type { AppEnv } from '../env.ts';
import { MessagePage } from '../views/message-page.tsx';
import { type CertificateTarget, checkCertificate } from './certificate.ts';
import { redirectToLogin } from './sign-in-redirect.ts';

export type AccessRule = MiddlewareHandler<AppEnv>;

/** Decides a request: null lets it through, a Response refuses it. */
type Decision = (c: Context<AppEnv>) => Response | null | Promise<Response | null>;

const ruleNames = new WeakMap<object, string>();

function defineRule(name: string, decide: Decision): AccessRule {
  const rule: AccessRule = async (c, next) => {
    const refusal = await decide(c);
    if (refusal) return refusal;
    await next();
  };
  ruleNames.set(rule, name);
  return rule;
}

/** The rule's name when `handler` is an access rule, else undefined. */
export function describeRule(handler: unknown): string | undefined {
  return typeof handler === 'function' ? ruleNames.get(handler) : undefined;
}

/** A JSON Accept on a page URL is an agent's request: it needs a certificate (as upstream). */
function wantsJson(c: Context<AppEnv>): boolean {
  return (c.req.header('Accept') ?? '').includes('application/json');
}

/** Passes when REQUIRE_LOGIN is off, someone is signed in, or a certificate check passed. */
function checkSignIn(c: Context<AppEnv>): Response | null {
  if (!c.var.config.REQUIRE_LOGIN || c.var.user || c.var.host) return null;
  return redirectToLogin(c);
}

/**
 * An agent's write or probe: a certificate for `target` when VERIFY_CLIENTS is on (a passed check also
 * stands for sign-in). With VERIFY_CLIENTS off nothing, as upstream: agents never sign in, and a
 * report is recorded under the name its URL gives (docs/protocol.md, "Who may do what").
 */
function checkAgent(c: Context<AppEnv>, target: CertificateTarget): Response | null {
  const policy = c.var.certificatePolicy;
  if (!policy.verifyClients) return null;
  return checkAgentCertificate(c, target);
}

/** An agent's read of JSON data: the certificate when VERIFY_CLIENTS is on, else the sign-in rule. */
function checkAgentRead(c: Context<AppEnv>, target: CertificateTarget): Response | null {
  if (!c.var.certificatePolicy.verifyClients) return checkSignIn(c);
  return checkAgentCertificate(c, target);
}

function checkAgentCertificate(c: Context<AppEnv>, target: CertificateTarget): Response | null {
  const result = checkCertificate(c, c.var.certificatePolicy, target);
  if (!result.ok) return result.response;
  c.set('host', result.host);
  return null;
}

function checkPage(c: Context<AppEnv>): Response | null {
  if (wantsJson(c)) return checkAgentRead(c, { kind: 'any' });
  return checkSignIn(c);
}

/** Static assets, the health check, the agent download, sign-in and sign-out. */
export const allowAnyone = defineRule('anyone', () => null);

/** Pages: a signed-in user (when REQUIRE_LOGIN), or a verified certificate for a JSON Accept. */
export const requireSignIn = defineRule('signed-in', checkPage);

/** The superusers' pages: sign-in even with REQUIRE_LOGIN off, then the superuser flag. */
export const requireSuperuser = defineRule('superuser', (c) => {
  const user = c.var.user;
  if (!user) return redirectToLogin(c);
  if (user.isSuperuser) return null;
  return c.html(
    <MessagePage
      title="Access denied"
      message="Only superusers may manage users and create enrollment tokens."
      user={user}
      csrfToken={c.var.csrfToken}
    />,
    403,
  ) as Response | Promise<Response>;
});

/**
 * /metrics (docs/reboot.md, "Metrics"): off (404) without METRICS_TOKEN; then only
 * `Authorization: Bearer <token>`, and, when METRICS_ALLOWED_ADDRESSES is set, from those addresses.
 */
export const requireMetricsToken = defineRule('metrics-token', (c) => {
  const { METRICS_TOKEN: token, METRICS_ALLOWED_ADDRESSES: addresses } = c.var.config;
  const refuse = (status: 401 | 403 | 404, text: string, headers: Record<string, string> = {}) =>
    new Response(text, { status, headers: { 'Content-Type': 'text/plain', ...headers } });
  if (!token) return refuse(404, 'Not found: /metrics is off (set METRICS_TOKEN)');
  if (addresses.length > 0 && !addresses.includes(c.env?.remoteAddress ?? ''))
    return refuse(403, 'Forbidden: this address may not read /metrics');
  const sent = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? '';
  if (!sameSecret(sent, token)) return refuse(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
  return null;
});

/** Compares in constant time (the digests have one length whatever was sent). */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (text: string) => new Bun.CryptoHasher('sha256').update(text).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** Monitoring's probe of the certificate setup: any verified certificate. */
export const requireAnyCertificate = defineRule('any-certificate', (c) => checkAgent(c, { kind: 'any' }));

/** Kubernetes reports: a CN in PROXY_IMAGES (or any verified certificate, as configured). */
export const requireKubernetesCertificate = defineRule('kubernetes-certificate', (c) =>
  checkAgent(c, { kind: 'kubernetes' }),
);

/** Writes to one host: a certificate whose CN is the host, or in PROXY_HOSTS. */
export function requireHostCertificate(nameOf: (c: Context<AppEnv>) => string): AccessRule {
  return defineRule('host-certificate', (c) => checkAgent(c, { kind: 'host', name: nameOf(c) }));
}

/** Writes to one image: a certificate whose CN is in PROXY_IMAGES. */
export function requireImageCertificate(nameOf: (c: Context<AppEnv>) => string): AccessRule {
  return defineRule('image-certificate', (c) => checkAgent(c, { kind: 'image', name: nameOf(c) }));
}

/**
 * A host's own certificate, whatever VERIFY_CLIENTS says: a verified certificate whose CN is exactly
 * the host (PROXY_HOSTS may write a host's data, but never get its certificate). Renewal.
 */
export function requireOwnCertificate(nameOf: (c: Context<AppEnv>) => string): AccessRule {
  return defineRule('own-certificate', (c) => {
    const name = nameOf(c);
    const result = checkCertificate(c, c.var.certificatePolicy, { kind: 'host', name });
    if (!result.ok) return result.response;
    if (result.host.commonName !== name) {
      return plainText(
        c,
        403,
        `Only the certificate of '${name}' itself may renew it, not '${result.host.subjectDn}'`,
      );
    }
    c.set('host', result.host);
    return null;
  });
}

/**
 * A host or image detail URL: DELETE and JSON reads are the agent API (the owner's certificate),
 * anything else is the HTML page (sign-in). With VERIFY_CLIENTS off, DELETE needs nothing (as a
 * report) and JSON reads the sign-in.
 */
export function requireOwnerForApi(
  kind: 'host' | 'image',
  nameOf: (c: Context<AppEnv>) => string,
): AccessRule {
  return defineRule(`${kind}-detail`, (c) => {
    const target: CertificateTarget = { kind, name: nameOf(c) };
    if (c.req.method === 'DELETE') return checkAgent(c, target);
    if (wantsJson(c)) return checkAgentRead(c, target);
    return checkSignIn(c);
  });
}

/** A rule that applies, per request, the rule `pick` chooses (for routes that serve two purposes). */
export function chooseRule(name: string, pick: (c: Context<AppEnv>) => AccessRule): AccessRule {
  return defineRule(name, async (c) => {
    let passed = false;
    const refusal = await pick(c)(c, async () => {
      passed = true;
    });
    return passed ? null : (refusal ?? null);
  });
}

/** The rule of requests no route matched (404, 405, the slash redirect): the pages' rule. */
export const checkUnmatched = checkPage;
