/** Client-certificate subjects (docs/protocol.md, "The CN"). */

const CN_PATTERN = /(^|,)CN=([^,]+)(,|$)/i;

/**
 * Extracts the CN from an RFC 2253 subject DN as upstream does: the first `CN=` that starts the
 * string or follows a comma directly. A space after a comma stops the match, on purpose.
 */
export function extractCommonName(subjectDn: string): string | null {
  const match = CN_PATTERN.exec(subjectDn);
  return match?.[2] ?? null;
}
