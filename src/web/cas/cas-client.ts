/**
 * Apereo CAS through the `cas-authentication` package, which is written for Express: it reads
 * `req.url`, `req.query`, `req.session`, `req.host` and answers with `res.redirect` or
 * `res.sendStatus`. This adapter hands it those shapes for one call and turns what it does into a
 * plain result. The package does the protocol work: the login URL, the ticket validation request
 * (CAS 1 `/validate`, CAS 2 `/serviceValidate`, CAS 3 `/p3/serviceValidate`, SAML 1.1
 * `/samlValidate` with its SOAP body) and the parsing of the answers.
 */
import { parse as parseLegacyUrl } from 'node:url';
import CASAuthentication, { type CasExpressRequest, type CasHandler } from 'cas-authentication';

/** CAS_VERSION values of upstream's configuration, and the package's names for them. */
const PACKAGE_VERSIONS = { '1': '1.0', '2': '2.0', '3': '3.0', 'CAS_2_SAML_1.0': 'saml1.1' } as const;
export type CasVersion = keyof typeof PACKAGE_VERSIONS;

/** Where the package keeps the user and the attributes in the (throw-away) session we give it. */
const SESSION_USER = 'cas_user';
const SESSION_ATTRIBUTES = 'cas_attributes';

export interface CasClientOptions {
  /** CAS_SERVER_URL, for example `https://idp.example.org/cas`. */
  serverUrl: string;
  /** CAS_VERSION: `1`, `2`, `3` or `CAS_2_SAML_1.0` (numbers accepted). */
  version: string | number;
  /** How long to wait for the CAS server to validate a ticket. */
  timeoutMs?: number;
}

export type CasValidation =
  | { ok: true; username: string; attributes: Record<string, unknown> }
  | { ok: false; reason: string };

export interface CasClient {
  /** The CAS login page URL that sends the browser back to `service` with a ticket. */
  loginUrl(service: string): Promise<string>;
  /** Asks the CAS server whether `ticket` was issued for `service`, and for whom. */
  validate(service: string, ticket: string): Promise<CasValidation>;
  /** The CAS logout URL, which then offers a way back to `service`. */
  logoutUrl(service: string): Promise<string>;
}

type Outcome = { kind: 'redirect'; url: string } | { kind: 'status'; status: number } | { kind: 'next' };

/** Builds a client; an unknown CAS_VERSION or a bad URL fails here, at start, not at the first sign-in. */
export function createCasClient(options: CasClientOptions): CasClient {
  const version = String(options.version) as CasVersion;
  const packageVersion = PACKAGE_VERSIONS[version];
  if (!packageVersion)
    throw new Error(`CAS_VERSION '${options.version}' is not one of 1, 2, 3, CAS_2_SAML_1.0`);
  const server = new URL(options.serverUrl);
  // The package glues paths onto the server URL, so it must not end with '/'.
  const serverUrl = `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
  const timeoutMs = options.timeoutMs ?? 15_000;

  /** A package instance for one service URL (the package holds the service as instance state). */
  function instanceFor(service: string): { cas: CASAuthentication; req: CasExpressRequest } {
    // The package sends `service_url + url.parse(req.url).pathname` as the service. Our service has
    // a query (`/login/?next=…`), which no pathname can carry, so the service is cut after its last
    // '=': the head becomes service_url and the percent-encoded tail, a valid pathname, req.url.
    const cut = service.lastIndexOf('=') + 1;
    const tail = service.slice(cut);
    if (cut === 0 || !tail || parseLegacyUrl(tail).pathname !== tail) {
      throw new Error(`The CAS service URL '${service}' must end with a percent-encoded query value`);
    }
    return createInstance(service.slice(0, cut), tail, new URL(service).hostname);
  }

  function createInstance(
    serviceHead: string,
    tail: string,
    host: string,
  ): { cas: CASAuthentication; req: CasExpressRequest } {
    const cas = new CASAuthentication({
      cas_url: serverUrl,
      service_url: serviceHead,
      cas_version: packageVersion,
      session_name: SESSION_USER,
      session_info: SESSION_ATTRIBUTES,
    });
    // The package always uses port 80 or 443, and a path of '/' would give '//serviceValidate'.
    cas.cas_port = Number(server.port) || (server.protocol === 'http:' ? 80 : 443);
    cas.cas_path = server.pathname.replace(/\/+$/, '');
    return { cas, req: { url: tail, query: {}, session: {}, host } };
  }

  function run(handler: CasHandler, req: CasExpressRequest): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the CAS server did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const settle = (outcome: Outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      handler(
        req,
        {
          redirect: (url) => settle({ kind: 'redirect', url }),
          sendStatus: (status) => settle({ kind: 'status', status }),
        },
        () => settle({ kind: 'next' }),
      );
    });
  }

  return {
    async loginUrl(service) {
      const { cas, req } = instanceFor(service);
      const outcome = await run(cas.bounce, req);
      if (outcome.kind !== 'redirect')
        throw new Error('cas-authentication did not redirect to the CAS login');
      return withoutRenewFalse(outcome.url);
    },

    async validate(service, ticket) {
      const { cas, req } = instanceFor(service);
      req.query = { ticket };
      req.session.cas_return_to = '/';
      let reason = 'the CAS server refused the ticket';
      const parse = cas._validate;
      cas._validate = (body, callback) =>
        parse.call(cas, body, (error, user, attributes) => {
          if (error) reason = typeof error === 'string' ? error : error.message;
          // The package console.logs the error it gets; a one-line text keeps stack traces out of the log.
          callback(error ? (typeof error === 'string' ? error : error.message) : null, user, attributes);
        });
      let outcome: Outcome;
      try {
        outcome = await run(cas.bounce, req);
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
      const username = readUsername(req.session[SESSION_USER]);
      if (outcome.kind !== 'redirect' || !username) return { ok: false, reason };
      const attributes = req.session[SESSION_ATTRIBUTES];
      return {
        ok: true,
        username,
        attributes:
          typeof attributes === 'object' && attributes !== null
            ? (attributes as Record<string, unknown>)
            : {},
      };
    },

    async logoutUrl(service) {
      // Logging out sends no service through the package; it only needs the CAS server URL.
      const { cas, req } = createInstance(service, '', new URL(service).hostname);
      const outcome = await run(cas.logout, req);
      if (outcome.kind !== 'redirect')
        throw new Error('cas-authentication did not redirect to the CAS logout');
      return `${outcome.url}?service=${encodeURIComponent(service)}`;
    },
  };
}

/**
 * The package always adds `renew=false`. The protocol says renew is off when absent, and some CAS
 * servers take any `renew` parameter as a demand to re-authenticate, defeating single sign-on.
 */
function withoutRenewFalse(location: string): string {
  const url = new URL(location);
  if (url.searchParams.get('renew') === 'false') url.searchParams.delete('renew');
  return url.toString();
}

/** The user as the package leaves it: a string, or for SAML a NameIdentifier element with attributes. */
function readUsername(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object' && value !== null && typeof (value as { _?: unknown })._ === 'string') {
    return (value as { _: string })._.trim();
  }
  return '';
}
