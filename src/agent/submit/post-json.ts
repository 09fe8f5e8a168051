/**
 * One HTTPS request with legacy's timeouts and retries, not following redirects (docs/protocol.md,
 * "Client behaviour"), and an optional total deadline so a hook never holds apt for long
 * (docs/agent.md, "APT and dpkg hooks").
 */
import type { AgentLogger } from '../log.ts';
import { computeBackoffSeconds, parseRetryAfter, RETRYABLE_STATUSES } from './retry-policy.ts';
import type { TlsSettings } from './tls-settings.ts';

/** Connect (3.05 s) plus read (30 s) timeout of legacy: fetch has one timer per attempt, so they add up. */
export const ATTEMPT_TIMEOUT_MS = 33_050;

/** How a request is sent and retried. */
export interface RequestPolicy {
  tls: TlsSettings;
  userAgent: string;
  retries: number;
  retryBackoffSeconds: number;
  attemptTimeoutMs: number;
  /** Absolute time (ms since epoch) after which no attempt starts and no wait begins. */
  deadline?: number;
  logger: AgentLogger;
}

/** The final answer of a request, or the transport error that remained after the retries. */
export interface HttpOutcome {
  status?: number;
  body: string;
  location?: string;
  error?: string;
}

/** Sends `method url` with the retry policy; never throws. */
export async function requestWithRetries(
  method: 'GET' | 'POST',
  url: string,
  body: string | undefined,
  policy: RequestPolicy,
): Promise<HttpOutcome> {
  let outcome: HttpOutcome = { body: '', error: 'no attempt was made: the deadline had passed' };
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    const remaining = policy.deadline === undefined ? Number.POSITIVE_INFINITY : policy.deadline - Date.now();
    if (remaining <= 0) break;
    const { outcome: current, retryAfter } = await attemptRequest(
      method,
      url,
      body,
      policy,
      Math.min(policy.attemptTimeoutMs, remaining),
    );
    outcome = current;
    const retryable = current.error !== undefined || RETRYABLE_STATUSES.has(current.status ?? 0);
    if (!retryable) break;
    // Every failed attempt is a WARNING line (also without -d): a server that is down must not make
    // the agent silent for the minutes its retries take (docs/agent.md, "Exit codes and logs").
    const failed = `${method} ${url}: attempt ${attempt + 1} of ${policy.retries + 1} failed (${current.error ?? `HTTP ${current.status}`})`;
    if (attempt === policy.retries) {
      if (attempt > 0) policy.logger.warn(`${failed}; no attempt left`);
      break;
    }
    const waitSeconds = retryAfter ?? computeBackoffSeconds(attempt + 1, policy.retryBackoffSeconds);
    const nextAt = Date.now() + waitSeconds * 1000;
    if (policy.deadline !== undefined && nextAt >= policy.deadline) {
      policy.logger.warn(`${failed}; no time left for another attempt`);
      break;
    }
    policy.logger.warn(`${failed}; next attempt in ${waitSeconds}s, at ${formatClock(nextAt)}`);
    if (waitSeconds > 0) await Bun.sleep(waitSeconds * 1000);
  }
  return outcome;
}

/** `HH:MM:SS` in local time. */
function formatClock(time: number): string {
  return new Date(time).toTimeString().slice(0, 8);
}

/** One attempt; a `Retry-After` on 429/503 is returned so the caller can honour it. */
async function attemptRequest(
  method: 'GET' | 'POST',
  url: string,
  body: string | undefined,
  policy: RequestPolicy,
  timeoutMs: number,
): Promise<{ outcome: HttpOutcome; retryAfter?: number }> {
  try {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        'User-Agent': policy.userAgent,
        Accept: '*/*',
      },
      tls: policy.tls,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const retryAfter =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'))
        : undefined;
    return {
      outcome: {
        status: response.status,
        body: text,
        location: response.headers.get('location') ?? undefined,
      },
      retryAfter,
    };
  } catch (error) {
    const message =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? `no answer within ${Math.round(timeoutMs / 100) / 10}s`
        : describeTransportError(error);
    return { outcome: { body: '', error: message } };
  }
}

/** Names a transport error by its code when Bun gives one (e.g. `ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`). */
function describeTransportError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
