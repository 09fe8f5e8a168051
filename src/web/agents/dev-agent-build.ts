/**
 * The agent built on demand when the server runs from source and dist/agents holds no agent for this
 * machine (the quickstart: `npm start` on a fresh clone, before any `npm run build`). It runs
 * scripts/build.ts for the native architecture into .cache/agents, once per process and only when the
 * cached binary is older than a source file, and logs what it does.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { getAgentFileName, getCurrentAgentArch } from '../../lib/agent-arch.ts';
import type { Logger } from '../../lib/logger.ts';

export const REPOSITORY_ROOT = resolve(import.meta.dir, '../../..');
/** Git ignores it (.gitignore); `npm run build` never writes there. */
export const DEV_AGENTS_DIR = join(REPOSITORY_ROOT, '.cache/agents');

export type DevAgentBuild = { ok: true } | { ok: false; error: string };

/** The build of each repository (one in the server; tests build stand-ins). */
const running = new Map<string, Promise<DevAgentBuild>>();
/** The build process while one runs; stopped with the server (stopDevAgentBuild). */
let building: { child: ReturnType<typeof Bun.spawn>; scratch: string } | undefined;
let stopped = false;

/** Ends a build in progress: the server is stopping and must leave no process behind. */
export function stopDevAgentBuild(): void {
  stopped = true;
  if (!building) return;
  building.child.kill('SIGTERM');
  // The process may exit first: its half-built folder is removed here, not after the build.
  rmSync(building.scratch, { recursive: true, force: true });
}

/**
 * Builds the native agent into `<root>/.cache/agents` (DEV_AGENTS_DIR) unless an up-to-date one is
 * there; once per process, and again after a failure.
 */
export function buildDevAgent(log: Logger, root = REPOSITORY_ROOT): Promise<DevAgentBuild> {
  let build = running.get(root);
  if (!build) {
    build = runBuild(log, root).then((outcome) => {
      if (!outcome.ok) running.delete(root); // try again at the next request
      return outcome;
    });
    running.set(root, build);
  }
  return build;
}

async function runBuild(log: Logger, root: string): Promise<DevAgentBuild> {
  const fileName = getAgentFileName(getCurrentAgentArch());
  const outDir = join(root, '.cache/agents');
  const target = join(outDir, fileName);
  if (existsSync(target) && statSync(target).mtimeMs >= newestSourceMtime(root)) return { ok: true };
  const shown = relative(process.cwd(), target) || target;
  log.info(
    `No agent for this machine in dist/agents: building it from source into ${shown} (a few seconds, once; npm run build makes every architecture)`,
  );
  const started = performance.now();
  mkdirSync(outDir, { recursive: true });
  // Built aside and renamed into place: another server from this tree may be building too.
  const scratch = mkdtempSync(join(outDir, '.build-'));
  try {
    const child = Bun.spawn(
      [
        process.execPath,
        join(root, 'scripts/build.ts'),
        '--only',
        'agents',
        '--targets',
        'native',
        '--outdir',
        scratch,
      ],
      { cwd: root, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
    );
    building = { child, scratch };
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    building = undefined;
    const built = join(scratch, 'agents', fileName);
    if (stopped) return { ok: false, error: 'the server is stopping' };
    if (code !== 0 || !existsSync(built)) {
      const error = `${stdout}\n${stderr}`.trim().split('\n').slice(-3).join(' ').slice(0, 500);
      log.error(`Building the agent from source failed (exit ${code}): ${error}`);
      return { ok: false, error };
    }
    renameSync(built, target);
    if (existsSync(`${built}.gz`)) renameSync(`${built}.gz`, `${target}.gz`);
    log.info(
      `Built the agent from source in ${((performance.now() - started) / 1000).toFixed(1)} s: ${shown}`,
    );
    return { ok: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The latest modification time of the files the agent is built from (src/, package.json). */
function newestSourceMtime(root: string): number {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  return newest;
}
