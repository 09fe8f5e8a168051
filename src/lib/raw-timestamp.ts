/**
 * A timestamp as raw SQL returns it — milliseconds (SQLite), a Date, or a UTC `YYYY-MM-DD HH:MM:SS`
 * text (MySQL) — as milliseconds; null stays null.
 */
export function toMillis(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && !/^\d+$/.test(value))
    return new Date(`${value.replace(' ', 'T')}Z`).getTime();
  return Number(value);
}
