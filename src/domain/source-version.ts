/**
 * The source version of a binary package version (docs/protocol.md, "Host reports"). Reports carry
 * no source version, so upstream records the binary's own version string as its source version
 * (binNMUs such as `1.2-3+b1` thus create source versions that do not exist in Debian). Kept for
 * compatibility, in this one place.
 */
export function sourceVersionOf(binaryVersion: string): string {
  return binaryVersion;
}
