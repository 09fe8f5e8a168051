/**
 * Turns a failed answer into a message a sysadmin can act on (docs/agent.md, "Troubleshooting"): the
 * status, the server's own words, shortened, and a hint for the known causes.
 */
import type { HttpOutcome } from './post-json.ts';

/** What the report said about itself, to make hints concrete. */
export interface ReportIdentity {
  kind: 'host' | 'image';
  /** Host name or image name. */
  name: string;
  os?: string;
}

const MAX_BODY_LENGTH = 300;

/** Shortens a response body to one line of at most 300 characters. */
function shorten(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_BODY_LENGTH ? `${oneLine.slice(0, MAX_BODY_LENGTH)}…` : oneLine;
}

/** Describes why a request failed, with a hint when the cause is known. */
export function explainFailure(outcome: HttpOutcome, identity: ReportIdentity): string {
  if (outcome.error !== undefined) {
    if (/handshake|certificate|CERT_/i.test(outcome.error)) {
      return (
        `${outcome.error} (hint: check ca= (the CA that signed the server certificate) and, when the server ` +
        'requires a client certificate, cert=/key=)'
      );
    }
    return outcome.error;
  }
  const status = outcome.status ?? 0;
  const text = `${status} ${shorten(outcome.body)}`.trim();
  const hint = findHint(status, outcome, identity);
  return hint ? `${text} (hint: ${hint})` : text;
}

/** The advice for a status, if there is one. */
function findHint(status: number, outcome: HttpOutcome, identity: ReportIdentity): string | undefined {
  if (status >= 300 && status < 400) {
    return (
      `the server redirected to ${outcome.location ?? 'another page'}; it usually means the URL is wrong ` +
      '(another site or path), or a server that wants a browser login for reports (upstream DebMonitor ' +
      'with client-certificate verification off; this server never does)'
    );
  }
  if (status === 403) {
    const proxyList = identity.kind === 'host' ? 'PROXY_HOSTS' : 'PROXY_IMAGES';
    const cn = identity.kind === 'host' ? `be '${identity.name}' or ` : '';
    return (
      `the client certificate's CN must ${cn}be listed in the server's ${proxyList}, and the front-end web ` +
      'server must have verified it; check -c/-k, or run with --check to see what the agent sends'
    );
  }
  if (status === 400 && /OS name/.test(outcome.body)) {
    return (
      `the OS '${identity.os}' is new to the server and does not match its pattern ` +
      "(e.g. 'Debian 12' or 'Ubuntu 22.04'); set os= in the [DEFAULT] section of the configuration"
    );
  }
  if (status === 400 && /do not match/.test(outcome.body)) {
    return 'set hostname= in the [DEFAULT] section of the configuration to the name of the client certificate';
  }
  if (status === 404) return 'check the server name, port and URL prefix';
  if (status === 200 || status === 202 || status === 204)
    return 'only 201 Created means the report was stored';
  return undefined;
}

/** True when sending the same bytes again cannot succeed (the payload itself was refused). */
export function isPermanentRejection(outcome: HttpOutcome): boolean {
  return outcome.status === 400 || outcome.status === 405 || outcome.status === 413 || outcome.status === 422;
}
