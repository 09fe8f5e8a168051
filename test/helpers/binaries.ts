/**
 * Shared set-up of the compiled-binary tests: builds with scripts/build.ts (native target only),
 * once per source tree (buildTestBinary), runs programs, reads files. The agent is src/agent.ts when
 * it exists, else the test stand-in.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { AGENT_ENTRY, type BuildBinaryOptions, type BuiltBinary, buildBinary } from '../../scripts/build.ts';

/** The agent entry the binary tests build: the real agent once it is in the tree. */
export const TEST_AGENT_ENTRY = existsSync(AGENT_ENTRY)
  ? AGENT_ENTRY
  : resolve(import.meta.dir, '../fixtures/fake-agent.ts');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with an empty stdin. */
export async function runProgram(
  command: string[],
  options: { cwd: string; stdin?: string },
): Promise<RunResult> {
  const child = Bun.spawn(command, {
    cwd: options.cwd,
    stdin: options.stdin === undefined ? 'ignore' : new TextEncoder().encode(options.stdin),
    stdout: 'pipe',
    stderr: 'pipe',
    // The agent's spool and lock go to a scratch directory, never to the machine's /var/spool.
    env: {
      ...process.env,
      NO_COLOR: '1',
      DEBMONITOR_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'debmonitor-spool-')),
    },
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** Lowercase hex SHA-256 of a file. */
export async function hashFile(path: string): Promise<string> {
  return new Bun.CryptoHasher('sha256').update(await Bun.file(path).bytes()).digest('hex');
}

/** Names in a directory, sorted (to spot temporary files left behind). */
export function listNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

const ROOT = resolve(import.meta.dir, '../..');
/** What a compiled binary is made of besides its entry: sources, embedded files, build settings, locks. */
const BUILD_INPUTS = [
  'src',
  'public',
  'scripts/build.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'bunfig.toml',
];
/** Compiled binaries shared by the test files of a run, and by the processes of a parallel run. */
const CACHE_DIR = join(tmpdir(), 'debmonitor-test-binaries');
/** Entries kept besides those in use: a source change makes new ones (about 100 MB a binary). */
const CACHE_KEEP = 6;
/** An entry used this recently is never pruned (another process may be about to link it). */
const CACHE_IN_USE_MS = 15 * 60_000;

let treeHash: string | undefined;

/** SHA-256 over the paths and contents of BUILD_INPUTS (about 300 files: a few milliseconds). */
function hashBuildTree(): string {
  if (treeHash) return treeHash;
  const hasher = new Bun.CryptoHasher('sha256');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
      return;
    }
    hasher.update(`${relative(ROOT, path)}\0`);
    hasher.update(readFileSync(path));
    hasher.update('\0');
  };
  for (const input of BUILD_INPUTS) visit(join(ROOT, input));
  treeHash = hasher.digest('hex');
  return treeHash;
}

const builds = new Map<string, Promise<{ binary: string; inputs: string[] }>>();

/**
 * Builds `options.entry` like buildBinary, to `options.outfile`, but compiles each (entry, version,
 * source tree, Bun) once: the build is kept in a cache directory under the system's temporary
 * directory and hard-linked (else copied) to `outfile`. An entry appears whole or not at all (built
 * in a scratch directory, then renamed), so parallel test processes can share it. Tests must not
 * write to `outfile` itself (copy it first, as an installed agent is).
 */
export async function buildTestBinary(options: BuildBinaryOptions): Promise<BuiltBinary> {
  if ((options.arch ?? 'native') !== 'native') return buildBinary(options);
  const key = new Bun.CryptoHasher('sha256')
    .update(
      JSON.stringify([
        relative(ROOT, options.entry),
        readFileSync(options.entry, 'utf8'),
        options.version,
        Bun.revision,
        hashBuildTree(),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  let build = builds.get(key);
  if (!build) {
    build = buildCacheEntry(key, options);
    builds.set(key, build);
    build.catch(() => builds.delete(key));
  }
  const { binary, inputs } = await build;
  mkdirSync(dirname(options.outfile), { recursive: true });
  try {
    linkSync(binary, options.outfile);
  } catch {
    copyFileSync(binary, options.outfile);
  }
  return { outfile: options.outfile, bytes: statSync(options.outfile).size, inputs };
}

/** A build older than this holds its lock no more: its process was killed. */
const LOCK_STALE_MS = 5 * 60_000;

/**
 * The cache entry `key`: found, or built and renamed into place. One process builds it while the
 * others wait (a lock directory beside it), so the two workers of a parallel run that start with
 * files needing the same binary compile it once.
 */
async function buildCacheEntry(
  key: string,
  options: BuildBinaryOptions,
): Promise<{ binary: string; inputs: string[] }> {
  const entry = join(CACHE_DIR, key);
  const binary = join(entry, 'binary');
  const inputsFile = join(entry, 'inputs.json');
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = join(CACHE_DIR, `.lock-${key}`);
  while (!existsSync(inputsFile)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another process builds it: wait for its entry, or for its lock to go (a failed build).
      const age = (() => {
        try {
          return Date.now() - statSync(lock).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await Bun.sleep(100);
      continue;
    }
    try {
      if (!existsSync(inputsFile)) await buildInto(entry, options);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    pruneCache(key);
  }
  const now = new Date();
  utimesSync(entry, now, now);
  return { binary, inputs: JSON.parse(readFileSync(inputsFile, 'utf8')) as string[] };
}

/** Builds into a scratch directory renamed to `entry`: the entry appears whole or not at all. */
async function buildInto(entry: string, options: BuildBinaryOptions): Promise<void> {
  const scratch = mkdtempSync(join(CACHE_DIR, '.building-'));
  try {
    const built = await buildBinary({ ...options, outfile: join(scratch, 'binary') });
    writeFileSync(join(scratch, 'inputs.json'), JSON.stringify(built.inputs));
    try {
      renameSync(scratch, entry);
    } catch (error) {
      // Another process renamed its build there first: the same sources, so the same binary.
      if (!existsSync(join(entry, 'inputs.json'))) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Removes the least recently used entries beyond CACHE_KEEP, and scratch directories of killed builds. */
function pruneCache(keep: string): void {
  const now = Date.now();
  const entries = readdirSync(CACHE_DIR)
    .map((name) => {
      try {
        return { name, used: statSync(join(CACHE_DIR, name)).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((entry) => entry !== undefined && entry.name !== keep && now - entry.used > CACHE_IN_USE_MS)
    .sort((a, b) => b!.used - a!.used);
  const stale = entries.filter(
    (entry, index) =>
      entry!.name.startsWith('.building-') || entry!.name.startsWith('.lock-') || index >= CACHE_KEEP,
  );
  for (const entry of stale) rmSync(join(CACHE_DIR, entry!.name), { recursive: true, force: true });
}
