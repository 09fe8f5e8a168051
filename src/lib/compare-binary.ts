/** Compares strings by UTF-16 code unit, as the binary collations of both databases sort. */
export function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
