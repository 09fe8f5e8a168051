/**
 * Ids a URL may hold that must name no row (404 on both dialects): not a positive integer written
 * plainly, or beyond the safe integer range.
 */
export const MALFORMED_IDS = [
  'abc',
  '1e309',
  '-1',
  '1.5',
  '99999999999999999999',
  '9007199254740993',
  '',
  '0',
  '07',
  ' 7',
  '0x7',
  '7abc',
  'NaN',
  'Infinity',
];
