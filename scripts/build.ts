#!/usr/bin/env bun
/**
 * Builds the single-file executables (DESIGN.md "Two programs"):
 *   dist/debmonitor-server                      the server, for the machine that builds
 *   dist/agents/debmonitor-linux-<arch>         the agent for x64, x64-baseline and arm64
 *
 * Usage: bun scripts/build.ts [--version X] [--targets all|native|x64,arm64,...] [--outdir DIR]
 *                             [--only server|agents] [--agent-entry FILE]
 * The version comes from --version, else $DEBMONITOR_BUILD_VERSION, else package.json.
 * Cross targets need the Bun runtime of that target, which Bun downloads from the npm registry on
 * first use (then caches); a target that cannot be built is reported, the others are still built,
 * and the exit code is 1.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gzip, type ZlibOptions } from 'node:zlib';
import {
  AGENT_ARCHES,
  type AgentArch,
  getAgentFileName,
  getCompileTarget,
  isAgentArch,
} from '../src/lib/agent-arch.ts';

const gzipAsync = promisify(gzip);
const ROOT = resolve(import.meta.dir, '..');
export const SERVER_ENTRY = join(ROOT, 'src/server.ts');
export const AGENT_ENTRY = join(ROOT, 'src/agent.ts');
/**
 * Worker modules the server starts (`new Worker`), compiled into its executable as extra entrypoints;
 * there they sit at their path under src/ (src/db/wal-checkpointer.ts finds them).
 */
export const SERVER_WORKERS = [join(ROOT, 'src/db/wal-checkpoint-worker.ts')];

/** Inputs the agent must never bundle: the agent carries no Hono, Drizzle, mysql2, zxcvbn or server code. */
const SERVER_ONLY_INPUT =
  /(^|\/)(src\/(db|store|web|config|pki)\/|node_modules\/(hono|drizzle-orm|mysql2|cas-authentication|ldapts|@zxcvbn-ts)\/)/;

export interface BuildBinaryOptions {
  /** The entry module (src/server.ts, src/agent.ts, or a test fixture). */
  entry: string;
  outfile: string;
  /** The version injected as DEBMONITOR_VERSION. */
  version: string;
  /** The agent architecture to build for; `native` (default) builds for this machine without a download. */
  arch?: AgentArch | 'native';
}

export interface BuiltBinary {
  outfile: string;
  bytes: number;
  /** Every bundled input, relative to the repository root. */
  inputs: string[];
}

/** Compiles one entry into a standalone executable; throws with Bun's messages when it fails. */
export async function buildBinary(options: BuildBinaryOptions): Promise<BuiltBinary> {
  const arch = options.arch ?? 'native';
  const result = await Bun.build({
    entrypoints: [options.entry, ...(options.entry === SERVER_ENTRY ? SERVER_WORKERS : [])],
    compile: {
      outfile: options.outfile,
      // Native builds reuse the running Bun; a named target makes Bun fetch that runtime.
      ...(arch === 'native' ? {} : { target: getCompileTarget(arch) }),
      // A stray .env or bunfig.toml in the working directory must not reconfigure a production binary.
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
    },
    target: 'bun',
    // Whitespace and syntax minification are safe; identifiers too, with names kept because error
    // classes and stack traces in logs are read by people.
    minify: { whitespace: true, syntax: true, identifiers: true, keepNames: true },
    sourcemap: 'none',
    metafile: true,
    define: {
      DEBMONITOR_VERSION: JSON.stringify(options.version),
      // Lets a baseline agent ask the server for the baseline build when it updates itself.
      ...(arch === 'native' ? {} : { DEBMONITOR_AGENT_ARCH: JSON.stringify(arch) }),
    },
  });
  if (!result.success) {
    throw new Error(result.logs.map((log) => String(log)).join('\n') || 'Bun.build failed');
  }
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((path) =>
    path.startsWith('/') ? relative(ROOT, path) : path,
  );
  return { outfile: options.outfile, bytes: statSync(options.outfile).size, inputs };
}

/**
 * Writes `<path>.gz` beside a binary: /client serves it to agents that accept gzip (about half the
 * bytes), after checking once that it decompresses to the binary.
 */
export async function writeCompressedCopy(path: string, level: ZlibOptions['level'] = 9): Promise<number> {
  const compressed = await gzipAsync(await Bun.file(path).bytes(), { level });
  await Bun.write(`${path}.gz`, compressed);
  return compressed.length;
}

/** The bundled inputs that belong to the server only; an agent build must have none. */
export function findServerOnlyInputs(inputs: readonly string[]): string[] {
  return inputs.filter((path) => SERVER_ONLY_INPUT.test(path));
}

/** The architecture of this machine as an agent architecture. */
export function getNativeArch(): AgentArch {
  return process.arch === 'arm64' ? 'arm64' : 'x64';
}

interface TargetResult {
  name: string;
  outfile: string;
  bytes?: number;
  gzipBytes?: number;
  error?: string;
}

function readVersion(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env.DEBMONITOR_BUILD_VERSION) return process.env.DEBMONITOR_BUILD_VERSION;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function readTargets(text: string): (AgentArch | 'native')[] {
  if (text === 'all') return [...AGENT_ARCHES];
  if (text === 'native') return ['native'];
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isAgentArch(name));
  if (unknown.length > 0) {
    throw new Error(`Unknown target(s) ${unknown.join(', ')}; use all, native or ${AGENT_ARCHES.join(',')}`);
  }
  return names as AgentArch[];
}

async function runTarget(name: string, options: BuildBinaryOptions, agent: boolean): Promise<TargetResult> {
  try {
    const built = await buildBinary(options);
    if (agent) {
      const leaked = findServerOnlyInputs(built.inputs);
      if (leaked.length > 0) {
        return { name, outfile: options.outfile, error: `agent bundles server code: ${leaked.join(', ')}` };
      }
    }
    const gzipBytes = agent ? await writeCompressedCopy(options.outfile) : undefined;
    return { name, outfile: options.outfile, bytes: built.bytes, gzipBytes };
  } catch (error) {
    return { name, outfile: options.outfile, error: (error as Error).message.split('\n')[0] };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      targets: { type: 'string', default: 'all' },
      outdir: { type: 'string', default: join(ROOT, 'dist') },
      only: { type: 'string' },
      // Another entry built as the agent (benchmarks use the test stand-in before src/agent.ts exists).
      'agent-entry': { type: 'string' },
    },
  });
  const version = readVersion(values.version);
  const targets = readTargets(values.targets);
  const outdir = resolve(values.outdir);
  mkdirSync(join(outdir, 'agents'), { recursive: true });
  const results: TargetResult[] = [];

  if (values.only !== 'agents') {
    const outfile = join(outdir, 'debmonitor-server');
    results.push(await runTarget('server (native)', { entry: SERVER_ENTRY, outfile, version }, false));
  }
  if (values.only !== 'server') {
    const agentEntry = values['agent-entry'] ? resolve(values['agent-entry']) : AGENT_ENTRY;
    if (!(await Bun.file(agentEntry).exists())) {
      console.error(`skipped agents: ${relative(ROOT, agentEntry)} does not exist yet`);
    } else {
      for (const target of targets) {
        const arch = target === 'native' ? getNativeArch() : target;
        const outfile = join(outdir, 'agents', getAgentFileName(arch));
        const options: BuildBinaryOptions = { entry: agentEntry, outfile, version, arch: target };
        results.push(
          await runTarget(`agent ${target === 'native' ? `${arch} (native)` : arch}`, options, true),
        );
      }
    }
  }

  console.log(`DebMonitor ${version}`);
  for (const result of results) {
    const where = relative(process.cwd(), result.outfile);
    if (result.error) console.log(`  FAILED  ${result.name}: ${result.error}`);
    else {
      const gzip = result.gzipBytes ? ` (gzip ${formatMegabytes(result.gzipBytes)})` : '';
      console.log(
        `  ok      ${result.name.padEnd(24)} ${where}  ${formatMegabytes(result.bytes ?? 0)}${gzip}`,
      );
    }
  }
  return results.some((result) => result.error) ? 1 : 0;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

if (import.meta.main) {
  process.exitCode = await main();
}
