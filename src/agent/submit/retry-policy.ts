/**
 * Legacy's retry policy (urllib3 `Retry`; docs/protocol.md, "Client behaviour"): which answers are
 * retried and how long to wait before each retry.
 */

/** Statuses worth another try: overload and gateway errors. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** The longest wait between two attempts, as in urllib3. */
export const MAX_BACKOFF_SECONDS = 120;

/**
 * Seconds to wait before retry number `retry` (1-based): none before the first, then
 * `factor × 2^(retry−1)`, capped at 120 s.
 */
export function computeBackoffSeconds(retry: number, factor: number): number {
  if (retry <= 1) return 0;
  return Math.min(MAX_BACKOFF_SECONDS, factor * 2 ** (retry - 1));
}

/** Reads a `Retry-After` header (seconds or an HTTP date) as seconds from `now`; undefined if absent or invalid. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(MAX_BACKOFF_SECONDS, Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(MAX_BACKOFF_SECONDS, Math.max(0, (date - now) / 1000));
}
