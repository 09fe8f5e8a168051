/**
 * APT's binary cache for the agents the tests run. Debian keeps it in /var/cache/apt (pkgcache.bin,
 * srcpkgcache.bin), so that `apt-get -s dist-upgrade` and `apt-cache show` read the parsed package
 * lists instead of parsing them again; container images often turn it off (docker-clean sets
 * Dir::Cache::pkgcache ""), and then every agent run parses about 19 MB of lists twice (about 1.3 s
 * of CPU here). Where it is off, the test processes (and so the agents, apt-get and apt-cache they
 * start) get APT_CONFIG naming a file that turns it back on, in a directory of the test run. APT
 * itself runs unchanged on the real lists and dpkg status, and rebuilds its cache when they change
 * (the dpkg hook test installs a package), as on any Debian host.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = join(tmpdir(), 'debmonitor-test-apt');

/** Sets APT_CONFIG for this process's children when APT's cache is off; no-op without APT. */
export function enableAptCacheForTests(): void {
  if (process.env.APT_CONFIG || !Bun.which('apt-config')) return;
  const shown = Bun.spawnSync(['apt-config', 'shell', 'CACHE', 'Dir::Cache::pkgcache']);
  // Prints CACHE='' when it is turned off, nothing when unset (then APT uses its default file).
  if (shown.exitCode !== 0 || shown.stdout.toString().trim() !== "CACHE=''") return;
  mkdirSync(DIR, { recursive: true });
  // APT reads APT_CONFIG first, then apt.conf.d, then Dir::Etc::main: the main file is ours, read last,
  // holding the system's own main file (if any) and then the cache settings.
  const main = join(DIR, 'apt.conf');
  const systemMain = '/etc/apt/apt.conf';
  writeFileSync(
    main,
    `${existsSync(systemMain) ? `#include "${systemMain}";\n` : ''}Dir::Cache::pkgcache "${join(DIR, 'pkgcache.bin')}";\nDir::Cache::srcpkgcache "${join(DIR, 'srcpkgcache.bin')}";\n`,
  );
  const first = join(DIR, 'apt-config');
  writeFileSync(first, `Dir::Etc::main "${main}";\n`);
  process.env.APT_CONFIG = first;
}
