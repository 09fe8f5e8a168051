/**
 * A row id from a URL path or query string: plain decimal digits, no leading zero, at most
 * Number.MAX_SAFE_INTEGER. Anything else is null, so a route answers 404 without asking the
 * database (MariaDB fails on NaN and Infinity where SQLite finds nothing).
 */
export function parseId(text: string | undefined): number | null {
  if (text === undefined || !/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}
