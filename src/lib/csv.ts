/**
 * CSV output (RFC 4180): CRLF line ends, fields quoted when they hold a separator, quote or line
 * break. Text that a spreadsheet would run as a formula is defused, since host data is untrusted.
 */

/**
 * Text a spreadsheet may read as a formula: a leading tab or CR, or = + - @ after any whitespace,
 * separators or quotes (spreadsheets skip or split on those, so ` =1+1` and `;=cmd` still run).
 */
const FORMULA = /^[\t\r]|^[\s,;"']*[=+\-@]/;
/** Characters that need quotes: `,` and `;` (the separator of many locales), tab, quote, line breaks. */
const NEEDS_QUOTES = /[,;\t"\r\n]/;

/** One CSV field; numbers and null are written plainly. */
function formatField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  // A leading ' makes the spreadsheet take the cell as text; the quotes keep it one cell.
  if (FORMULA.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Serializes a header row and data rows as CSV text. */
export function formatCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return `${[header, ...rows].map((row) => row.map(formatField).join(',')).join('\r\n')}\r\n`;
}
