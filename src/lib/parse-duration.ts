/** Durations typed by operators: `90m`, `24h`, `7d`, `2w` (a number and one unit). */

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Milliseconds of `text`, or null when it is not a positive whole number followed by m, h, d or w. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  return amount > 0 ? amount * (UNIT_MS[match[2] ?? ''] ?? 0) : null;
}
