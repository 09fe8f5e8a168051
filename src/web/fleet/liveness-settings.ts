/** The liveness thresholds of the configuration, and the cutoffs they give at a moment (docs/reboot.md). */
import type { Config } from '../../config/schema.ts';
import { type LivenessThresholds, livenessCutoffs } from '../../domain/liveness.ts';
import type { LivenessCutoffs } from '../../store/read/inventory-list.ts';

export function livenessThresholds(config: Config): LivenessThresholds {
  return { staleAfterHours: config.STALE_AFTER_HOURS, silentAfterDays: config.SILENT_AFTER_DAYS };
}

export function cutoffsAt(config: Config, now: Date): LivenessCutoffs {
  return livenessCutoffs(now, livenessThresholds(config));
}
