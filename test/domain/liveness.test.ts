import { describe, expect, test } from 'bun:test';
import { DEFAULT_LIVENESS, livenessOf } from '../../src/domain/liveness.ts';

const NOW = new Date('2026-05-10T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3600 * 1000);

describe('livenessOf', () => {
  const of = (lastFull: number | null, lastAny: number) =>
    livenessOf(
      { lastFullReport: lastFull === null ? null : hoursAgo(lastFull), modified: hoursAgo(lastAny) },
      NOW,
      DEFAULT_LIVENESS,
    );

  test('a full report within 36 hours: reporting', () => {
    expect(of(0, 0)).toBe('reporting');
    expect(of(36, 1)).toBe('reporting');
  });
  test('no full report for more than 36 hours: stale, even with partial reports since', () => {
    expect(of(36.01, 36.01)).toBe('stale');
    expect(of(100, 1)).toBe('stale');
    expect(of(null, 1)).toBe('stale');
  });
  test('no report at all for more than 7 days: silent', () => {
    expect(of(7 * 24, 7 * 24)).toBe('stale');
    expect(of(7 * 24 + 0.01, 7 * 24 + 0.01)).toBe('silent');
  });
  test('thresholds are settings', () => {
    const thresholds = { staleAfterHours: 2, silentAfterDays: 1 };
    expect(livenessOf({ lastFullReport: hoursAgo(3), modified: hoursAgo(3) }, NOW, thresholds)).toBe('stale');
    expect(livenessOf({ lastFullReport: hoursAgo(25), modified: hoursAgo(25) }, NOW, thresholds)).toBe(
      'silent',
    );
  });
});
