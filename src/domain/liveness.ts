/**
 * Whether a host still reports (docs/reboot.md, "Liveness"): reporting while its last full report is
 * recent, stale once that is older than the stale threshold, silent once no report of any kind came
 * for longer than the silent threshold; hosts of the expected-hosts list without a row have never
 * reported.
 */

export const LIVENESS_STATES = ['reporting', 'stale', 'silent', 'never_reported'] as const;
export type Liveness = (typeof LIVENESS_STATES)[number];

export interface LivenessThresholds {
  /** No full report for longer than this: stale. */
  staleAfterHours: number;
  /** No report at all for longer than this: silent. */
  silentAfterDays: number;
}

export const DEFAULT_LIVENESS: LivenessThresholds = { staleAfterHours: 36, silentAfterDays: 7 };

const HOUR_MS = 3600 * 1000;

/** The times before which a full report is stale and any report silent. */
export function livenessCutoffs(now: Date, thresholds: LivenessThresholds): { stale: Date; silent: Date } {
  return {
    stale: new Date(now.getTime() - thresholds.staleAfterHours * HOUR_MS),
    silent: new Date(now.getTime() - thresholds.silentAfterDays * 24 * HOUR_MS),
  };
}

/** The liveness of a host row: `lastFullReport` null means no full report since it was recorded. */
export function livenessOf(
  host: { lastFullReport: Date | null; modified: Date },
  now: Date,
  thresholds: LivenessThresholds,
): Exclude<Liveness, 'never_reported'> {
  const cutoffs = livenessCutoffs(now, thresholds);
  if (host.modified < cutoffs.silent) return 'silent';
  if (host.lastFullReport === null || host.lastFullReport < cutoffs.stale) return 'stale';
  return 'reporting';
}
