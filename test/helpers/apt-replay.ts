/**
 * APT's upgrade simulation, run for real once per machine state and replayed after that. Every full
 * or upgradable agent run (compiled, from source, through nginx, by cron) runs `apt-get -s -q
 * dist-upgrade`, then `apt-cache show` for the candidates: about 3 s of CPU each time on a Debian 12
 * host with pending upgrades, some twenty times a suite. The preload (test/helpers/preload.ts) puts
 * stand-ins for `apt-get` and `apt-cache` first on PATH: those two commands, with those arguments,
 * print what the real command printed for the same dpkg status, APT lists and settings (their file
 * times are the key; apt-get install and remove change them); any other use runs the real command.
 * test/e2e/quickstart.test.ts takes the real PATH back (DEBMONITOR_TEST_REAL_PATH).
 */
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = join(tmpdir(), 'debmonitor-test-apt');
/** Replays older than this are removed when a run starts (a key that no longer matches stays unused). */
const KEEP_MS = 24 * 3_600_000;

/** The stand-in for `command`, which replays the calls whose arguments `pattern` (a sh case pattern) matches. */
function standIn(real: string, pattern: string): string {
  return `#!/bin/sh
# Written by test/helpers/apt-replay.ts: replays ${real} ${pattern} for an unchanged APT state.
case "$*" in
  ${pattern}) ;;
  *) exec ${real} "$@" ;;
esac
state=$(ls -ld --full-time /var/lib/dpkg/status /var/lib/dpkg/arch /var/lib/apt/lists /var/lib/apt/lists/* /var/lib/apt/extended_states /etc/apt /etc/apt/* /etc/apt/*/* 2>/dev/null | cksum)
key=$(printf '%s\\n%s\\n%s\\n%s\\n' "${real}" "$*" "$LC_ALL $LANG $LANGUAGE" "$state" | cksum | tr ' ' -)
saved=${DIR}/$key
if [ -f "$saved.out" ]; then
  cat "$saved.err" >&2
  exec cat "$saved.out"
fi
${real} "$@" > "$saved.$$.out" 2> "$saved.$$.err"
code=$?
cat "$saved.$$.err" >&2
cat "$saved.$$.out"
if [ $code -eq 0 ]; then
  mv "$saved.$$.err" "$saved.err" && mv "$saved.$$.out" "$saved.out"
fi
rm -f "$saved.$$.out" "$saved.$$.err"
exit $code
`;
}

/**
 * Writes the stand-ins (for the commands this machine has) and puts their directory first on
 * process.env.PATH, which the test processes' children inherit. Idempotent.
 */
export function installAptReplay(): void {
  const path = process.env.PATH ?? '';
  if (process.env.DEBMONITOR_TEST_REAL_PATH !== undefined) return;
  const bin = join(DIR, 'bin');
  mkdirSync(bin, { recursive: true });
  const now = Date.now();
  for (const name of readdirSync(DIR)) {
    const file = join(DIR, name);
    try {
      if (name !== 'bin' && now - statSync(file).mtimeMs > KEEP_MS) rmSync(file, { force: true });
    } catch {}
  }
  const commands: [string, string][] = [
    ['apt-get', '"-s -q dist-upgrade"'],
    ['apt-cache', '"show "*'],
  ];
  let installed = 0;
  for (const [name, pattern] of commands) {
    const real = Bun.which(name, { PATH: path });
    if (!real) continue;
    // Each process writes its own copy, then renames it: a parallel run never sees half a script.
    const scratch = join(bin, `.${name}.${process.pid}`);
    writeFileSync(scratch, standIn(real, pattern));
    chmodSync(scratch, 0o755);
    renameSync(scratch, join(bin, name));
    installed++;
  }
  process.env.DEBMONITOR_TEST_REAL_PATH = path;
  if (installed > 0) process.env.PATH = `${bin}:${path}`;
}
