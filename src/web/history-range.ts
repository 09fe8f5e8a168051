/**
 * The time range of the "what changed" page in its URL (docs/history.md): `range=24h|7d|30d` (24h by
 * default), or `range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD` (whole UTC days, `to` included). A custom
 * range that does not parse, ends before it starts or spans more than MAX_RANGE_DAYS falls back to 24h.
 */

export const RANGES = ['24h', '7d', '30d', 'custom'] as const;
export type RangeName = (typeof RANGES)[number];

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const MAX_RANGE_DAYS = 400;
const RANGE_MS: Record<Exclude<RangeName, 'custom'>, number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

/** A parsed range: its bounds (`to` excluded) and the parameters that link to it again. */
export interface ChangesRange {
  range: RangeName;
  from: Date;
  to: Date;
  /** The URL parameters of the range (`range`, and `from`/`to` for a custom one). */
  params: Record<string, string>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(text: string | undefined): Date | null {
  if (!text || !DAY.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : date;
}

/** Reads the range from query parameters, against `now`. */
export function readChangesRange(query: Record<string, string | undefined>, now: Date): ChangesRange {
  const name = query.range as RangeName;
  if (name === 'custom') {
    const from = parseDay(query.from);
    const last = parseDay(query.to);
    if (from && last && last >= from && last.getTime() - from.getTime() < MAX_RANGE_DAYS * DAY_MS) {
      const params = { range: 'custom', from: query.from as string, to: query.to as string };
      return { range: 'custom', from, to: new Date(last.getTime() + DAY_MS), params };
    }
  }
  const fixed = name in RANGE_MS && name !== 'custom' ? name : '24h';
  const params: Record<string, string> = fixed === '24h' ? {} : { range: fixed };
  return { range: fixed, from: new Date(now.getTime() - RANGE_MS[fixed]), to: now, params };
}

/** The host name pattern of the page (`hosts=*.eqiad.wmnet`), trimmed and capped. */
export function readHostPattern(query: Record<string, string | undefined>): string {
  return (query.hosts ?? '').trim().slice(0, 253);
}
