/**
 * The expected-hosts file (EXPECTED_HOSTS_FILE; docs/reboot.md, "Liveness"): the FQDNs that should
 * report, one per line, `#` starting a comment. Re-read when its modification time or size changes,
 * so an inventory tool can rewrite it without a restart.
 */
import { statSync } from 'node:fs';

export interface ExpectedHosts {
  /** Whether EXPECTED_HOSTS_FILE is set: without it, "never reported" means nothing. */
  readonly configured: boolean;
  /** The names, sorted and each once; [] without a file. Throws when the file cannot be read. */
  names(): Promise<readonly string[]>;
}

/** Parses the file's text. */
export function parseExpectedHosts(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.replace(/#.*/, '').trim();
    if (name !== '') names.add(name);
  }
  return [...names].sort();
}

export function createExpectedHosts(path: string | undefined): ExpectedHosts {
  if (!path) return { configured: false, names: async () => [] };
  let cached: { key: string; names: string[] } | null = null;
  return {
    configured: true,
    async names() {
      const stat = statSync(path);
      const key = `${stat.mtimeMs}:${stat.size}`;
      if (cached?.key !== key) cached = { key, names: parseExpectedHosts(await Bun.file(path).text()) };
      return cached.names;
    },
  };
}
