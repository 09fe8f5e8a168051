/**
 * The source version a package version is recorded with (docs/protocol.md, "Host reports"): the one
 * the agent reported (`source_version`, dpkg's `Source: name (version)`), or, from clients that send
 * none (debmonitor-client 0.5), the binary version without a binNMU suffix: `1.2-3+b1` is a rebuild
 * of source `1.2-3`. Only Debian's own `+bN` is dropped; other differences (libldb2 built from samba)
 * need the reported version.
 */
export function sourceVersionOf(item: { version: string; sourceVersion?: string | undefined }): string {
  return item.sourceVersion ?? inferSourceVersion(item.version);
}

/** The source version of a binary version when nothing else is known. */
export function inferSourceVersion(binaryVersion: string): string {
  return binaryVersion.replace(/\+b\d+$/, '');
}
