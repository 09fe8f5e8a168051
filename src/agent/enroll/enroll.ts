/**
 * `--enroll --token TOKEN`: a certificate from the server's built-in CA (docs/agent.md, "Enrollment").
 * The key is made here and never sent; the request goes to the first server over verified TLS
 * (trusting `--ca`, the CA pinned by `--ca-fingerprint`, or the system bundle); the key, the
 * certificate and, when it is what verifies the server, the CA are written where the configuration
 * says (0600), the configuration gains the keys it lacked, and `--check` runs.
 */
import { isHostName } from '../../domain/host-pattern.ts';
import { ENROLL_CA_PATH, ENROLL_PATH } from '../../protocol/enrollment.ts';
import { runCheck } from '../check.ts';
import type { AgentOptions } from '../cli/resolve-options.ts';
import { addMissingConfigKeys } from '../config/set-config-keys.ts';
import { AgentError } from '../errors.ts';
import type { AgentLogger } from '../log.ts';
import type { SystemFacts } from '../report/build-report.ts';
import { explainFailure } from '../submit/explain-failure.ts';
import { type RequestPolicy, requestWithRetries } from '../submit/post-json.ts';
import type { ServerAddress } from '../submit/server-address.ts';
import { loadTlsSettings, type TlsSettings } from '../submit/tls-settings.ts';
import {
  checkAnswer,
  fingerprintOf,
  makeKeyAndRequest,
  normalizeFingerprint,
} from './certificate-request.ts';
import {
  DEFAULT_CA_PATH,
  DEFAULT_CERT_PATH,
  DEFAULT_KEY_PATH,
  readOptionalFile,
  writeCredentialFile,
} from './credential-files.ts';

/** Days before expiry from which a full run renews the certificate; written by --enroll. */
export const DEFAULT_RENEW_DAYS = 30;

export interface EnrollIo {
  facts: Pick<SystemFacts, 'readOsName' | 'resolveFqdn'>;
  logger: AgentLogger;
  print: (line: string) => Promise<void>;
  /** Builds a request policy for TLS settings (the run's timeouts, retries and User-Agent). */
  policyFor: (tls: TlsSettings, retries?: number) => RequestPolicy;
  /** Sends the request; tests wrap it to see what leaves the host. */
  send?: typeof requestWithRetries;
}

/** Fetches the CA the server offers, without trusting anyone yet, and keeps it only if its fingerprint is the pinned one. */
async function fetchPinnedCa(server: ServerAddress, fingerprint: string, userAgent: string): Promise<string> {
  let pem: string;
  try {
    const response = await fetch(`${server.baseUrl}${ENROLL_CA_PATH}`, {
      headers: { 'User-Agent': userAgent },
      redirect: 'manual',
      // Nothing secret is sent and the answer is believed only if its fingerprint matches.
      tls: { rejectUnauthorized: false },
      signal: AbortSignal.timeout(30_000),
    });
    pem = await response.text();
    if (response.status !== 200) {
      throw new AgentError(
        `${server.baseUrl}${ENROLL_CA_PATH} answered ${response.status}: ${pem.slice(0, 200)}`,
      );
    }
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw new AgentError(`Unable to fetch the CA from ${server.baseUrl}: ${(error as Error).message}`);
  }
  let actual: string;
  try {
    actual = await fingerprintOf(pem);
  } catch {
    throw new AgentError(`${server.baseUrl}${ENROLL_CA_PATH} did not answer with a PEM certificate`);
  }
  if (actual !== normalizeFingerprint(fingerprint)) {
    throw new AgentError(
      `The CA of ${server.baseUrl} has the SHA-256 fingerprint ${actual}, not ${normalizeFingerprint(fingerprint)}: not enrolling`,
    );
  }
  return pem;
}

/** Runs the enrollment; returns the exit code of the `--check` that follows it. */
export async function runEnroll(
  options: AgentOptions,
  servers: readonly ServerAddress[],
  io: EnrollIo,
): Promise<number> {
  const [server] = servers;
  if (!server || !options.token) throw new AgentError('--enroll needs a server and a token');
  const hostname = options.hostname ?? (await io.facts.resolveFqdn());
  if (!isHostName(hostname)) {
    throw new AgentError(
      `'${hostname}' is not a host name a certificate can carry: set hostname= in ${options.configPath}`,
    );
  }
  const pinnedCa = options.caFingerprint
    ? await fetchPinnedCa(server, options.caFingerprint, io.policyFor({}).userAgent)
    : undefined;
  const trust: TlsSettings = pinnedCa ? { ca: [pinnedCa] } : loadTlsSettings({ ca: options.ca });
  const request = await makeKeyAndRequest(hostname);
  const body = JSON.stringify({ token: options.token, hostname, csr: request.csrPem });
  io.logger.info(`Asking ${server.baseUrl}${ENROLL_PATH} for a certificate for ${hostname}`);
  // No retry: a lost answer after the server took a use of the token must not spend another.
  const outcome = await (io.send ?? requestWithRetries)(
    'POST',
    `${server.baseUrl}${ENROLL_PATH}`,
    body,
    io.policyFor(trust, 0),
  );
  if (outcome.status !== 201) {
    const detail =
      outcome.status === undefined
        ? explainFailure(outcome, { kind: 'host', name: hostname, os: '' })
        : `${outcome.status} ${outcome.body}`;
    throw new AgentError(`Enrollment failed: ${detail}`);
  }
  const answer = await checkAnswer(outcome.body, hostname, request);

  const certPath = options.cert ?? DEFAULT_CERT_PATH;
  const keyPath = options.key ?? DEFAULT_KEY_PATH;
  writeCredentialFile(keyPath, request.keyPem, 'client key');
  writeCredentialFile(certPath, answer.certificate, 'client certificate');
  const written = [`key ${keyPath}`, `certificate ${certPath}`];
  // The CA becomes the host's ca= only where it is what verifies the server: written when it was
  // pinned; kept as it is when the --ca file already holds it; otherwise ca= stays as it was.
  const caPath = options.ca ?? DEFAULT_CA_PATH;
  const caVerifiedServer =
    pinnedCa !== undefined ||
    (options.ca !== undefined && readOptionalFile(options.ca).includes(answer.ca.trim()));
  if (pinnedCa !== undefined) {
    writeCredentialFile(caPath, answer.ca, 'CA');
    written.push(`CA ${caPath}`);
  }
  await io.print(`Enrolled ${hostname}: wrote the ${written.join(', the ')}`);
  const added = addMissingConfigKeys(options.configPath, [
    ['server', server.label],
    ['cert', certPath],
    ['key', keyPath],
    ...(caVerifiedServer ? ([['ca', caPath]] as [string, string][]) : []),
    ['renew_days', String(DEFAULT_RENEW_DAYS)],
  ]);
  if (added.length > 0) await io.print(`Added to ${options.configPath}: ${added.join(', ')}`);

  const checked: AgentOptions = {
    ...options,
    cert: certPath,
    key: keyPath,
    ca: caVerifiedServer ? caPath : options.ca,
  };
  const tls = loadTlsSettings({ cert: checked.cert, key: checked.key, ca: checked.ca });
  return runCheck(checked, servers, io.policyFor(tls), io.facts, io.print, io.logger);
}
