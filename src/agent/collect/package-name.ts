/**
 * Package and source naming as APT prints them (docs/protocol.md, "What the agent sends"). The server
 * keys a host's packages by name, so any difference from legacy would churn its records.
 */

/** APT's "pretty" name: bare for native and `all` packages, `name:arch` for foreign ones (`libc6:i386`). */
export function formatPackageName(name: string, architecture: string, nativeArchitecture: string): string {
  if (architecture === '' || architecture === 'all' || architecture === nativeArchitecture) return name;
  return `${name}:${architecture}`;
}

/** Strips the `:arch` qualifier of a pretty name (`libc6:i386` gives `libc6`). */
export function stripArchitecture(prettyName: string): string {
  const colon = prettyName.indexOf(':');
  return colon === -1 ? prettyName : prettyName.slice(0, colon);
}

/**
 * The source name from a `Source:` field, without its parenthesised version (`openssl (3.0.16-1)` gives
 * `openssl`); the binary name when the field is absent, as python-apt's `Version.source_name` does.
 */
export function parseSourceName(sourceField: string | undefined, binaryName: string): string {
  const name = sourceField?.trim().split(/\s+/, 1)[0];
  return name ? name : stripArchitecture(binaryName);
}

/**
 * The source version from a `Source:` field (`glibc (2.36-9)` gives `2.36-9`, as dpkg-query's
 * `${source:Version}`); the binary version when the field names none (docs/protocol.md, "Host reports").
 */
export function parseSourceVersion(sourceField: string | undefined, binaryVersion: string): string {
  const version = /\(\s*([^\s()]+)\s*\)/.exec(sourceField ?? '')?.[1];
  return version ?? binaryVersion;
}
