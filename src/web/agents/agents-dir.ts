/**
 * Where the server looks for agent binaries: AGENTS_DIR when set (relative to the working directory),
 * else `agents/` beside the server binary. Running from source (`bun src/server.ts`), "the server
 * binary" is dist/debmonitor-server, so the default is the repository's dist/agents, where
 * `npm run build` puts them; while that holds no agent for this machine, the agent is built from
 * source into .cache/agents on first need (dev-agent-build.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { getAgentFileName, getCurrentAgentArch } from '../../lib/agent-arch.ts';
import { isCompiledBinary } from '../../lib/compiled-binary.ts';
import type { Logger } from '../../lib/logger.ts';
import { buildDevAgent, DEV_AGENTS_DIR, REPOSITORY_ROOT } from './dev-agent-build.ts';

/** The directory the binaries are read from now, and what to tell someone who finds none there. */
export interface AgentsLocation {
  dir: string;
  /** Completes "No agent for x64: <path> does not exist (…)". */
  hint: string;
  /** Set when the build from source failed: the last lines it printed. */
  buildError?: string;
}

/** The absolute directory the /client route and the agent page read, when not running from source. */
export function resolveAgentsDir(configured: string | undefined): string {
  if (configured) return resolve(configured);
  if (isCompiledBinary()) return join(dirname(process.execPath), 'agents');
  return join(REPOSITORY_ROOT, 'dist/agents');
}

/**
 * Where to read the agents for this request. From source, with no AGENTS_DIR and no agent for this
 * machine in dist/agents, this waits for the build from source (a few seconds, once per process).
 */
export async function locateAgents(
  configured: string | undefined,
  log: Logger,
  /** Where `npm run build` puts the agents (tests point it elsewhere). */
  distDir = join(REPOSITORY_ROOT, 'dist/agents'),
): Promise<AgentsLocation> {
  const dir = isCompiledBinary() || configured ? resolveAgentsDir(configured) : distDir;
  if (configured) return { dir, hint: 'put the agent builds there, or unset AGENTS_DIR' };
  if (isCompiledBinary())
    return { dir, hint: 'copy dist/agents of the build beside the server binary, or set AGENTS_DIR' };
  if (existsSync(join(dir, getAgentFileName(getCurrentAgentArch())))) {
    return { dir, hint: 'run npm run build to make every architecture' };
  }
  const built = await buildDevAgent(log);
  return {
    dir: DEV_AGENTS_DIR,
    hint: `running from source, the server builds the agent for this machine's architecture only; run npm run build for the others`,
    ...(built.ok ? {} : { buildError: built.error }),
  };
}
