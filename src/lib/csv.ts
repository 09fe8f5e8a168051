/** CSV output (RFC 4180): CRLF line ends, fields quoted when they hold a comma, quote or line break. */

/** One CSV field; numbers and null are written plainly. */
function formatField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // A leading = + - @ would be a formula in a spreadsheet; host data is untrusted.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Serializes a header row and data rows as CSV text. */
export function formatCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return `${[header, ...rows].map((row) => row.map(formatField).join(',')).join('\r\n')}\r\n`;
}
