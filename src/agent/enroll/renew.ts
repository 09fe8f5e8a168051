/**
 * Renewal before expiry (docs/agent.md, "Enrollment"): after a full report, when `renew_days` is set
 * and the certificate ends within that many days, a new key and a request go to the first server,
 * authenticated by the current certificate. A failure is logged and changes nothing: the current
 * files stay until the new ones are checked and written.
 */
import { readFileSync } from 'node:fs';
import { x509 } from '../../lib/x509.ts';
import { renewPath } from '../../protocol/enrollment.ts';
import type { AgentOptions } from '../cli/resolve-options.ts';
import type { AgentLogger } from '../log.ts';
import { type RequestPolicy, requestWithRetries } from '../submit/post-json.ts';
import type { ServerAddress } from '../submit/server-address.ts';
import { checkAnswer, makeKeyAndRequest } from './certificate-request.ts';
import { writeCredentialFile } from './credential-files.ts';

const DAY_MS = 86_400_000;

/** Renews the certificate when it is due; returns whether it did. */
export async function renewIfDue(
  options: AgentOptions,
  server: ServerAddress,
  policy: RequestPolicy,
  logger: AgentLogger,
  now = new Date(),
): Promise<boolean> {
  if (options.renewDays <= 0 || !options.cert) return false;
  let current: x509.X509Certificate;
  try {
    current = new x509.X509Certificate(readFileSync(options.cert, 'utf8'));
  } catch (error) {
    logger.warn(`Not renewing: unable to read the certificate ${options.cert}: ${(error as Error).message}`);
    return false;
  }
  const daysLeft = (current.notAfter.getTime() - now.getTime()) / DAY_MS;
  if (daysLeft > options.renewDays) return false;
  const hostname = current.subjectName.getField('CN')[0] ?? '';
  logger.info(`The certificate of ${hostname} ends on ${current.notAfter.toISOString()}: renewing it`);
  const request = await makeKeyAndRequest(hostname);
  const outcome = await requestWithRetries(
    'POST',
    `${server.baseUrl}${renewPath(hostname)}`,
    JSON.stringify({ csr: request.csrPem }),
    // Once per run is enough: the next full run tries again, and a server without a CA answers 503.
    { ...policy, retries: 0 },
  );
  if (outcome.status !== 201) {
    logger.warn(
      `Renewal of the certificate failed: ${outcome.status ?? outcome.error} ${outcome.body}`.trim(),
    );
    return false;
  }
  try {
    const answer = await checkAnswer(outcome.body, hostname, request);
    if (options.key) {
      writeCredentialFile(options.key, request.keyPem, 'client key');
      writeCredentialFile(options.cert, answer.certificate, 'client certificate');
    } else {
      // The key lives in the certificate file: both go there in one step.
      writeCredentialFile(options.cert, `${request.keyPem}${answer.certificate}`, 'client certificate');
    }
  } catch (error) {
    logger.warn(`Renewal of the certificate failed: ${(error as Error).message}`);
    return false;
  }
  logger.info(`Renewed the certificate of ${hostname}: ${options.cert}`);
  return true;
}
