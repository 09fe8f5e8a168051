/**
 * The agent builds the server offers, one per target architecture, and the file names they have in
 * the agents directory. Shared by the build script, the /client route and the agent's self-update.
 */

/** Architectures an agent is built for: `x64-baseline` runs on x86-64 CPUs without AVX2. */
export const AGENT_ARCHES = ['x64', 'x64-baseline', 'arm64'] as const;

export type AgentArch = (typeof AGENT_ARCHES)[number];

/** The architecture /client serves when the caller names none. */
export const DEFAULT_AGENT_ARCH: AgentArch = 'x64';

declare const DEBMONITOR_AGENT_ARCH: string | undefined;

/** True when `text` names an agent architecture. */
export function isAgentArch(text: string): text is AgentArch {
  return (AGENT_ARCHES as readonly string[]).includes(text);
}

/** `debmonitor-linux-<arch>`: the agent's file name in dist/agents and in the server's agents directory. */
export function getAgentFileName(arch: AgentArch): string {
  return `debmonitor-linux-${arch}`;
}

/** The Bun compile target that produces the agent for `arch`. */
export function getCompileTarget(arch: AgentArch): `bun-linux-${AgentArch}` {
  return `bun-linux-${arch}`;
}

/**
 * The architecture this program was built for (injected by the build, so a baseline build keeps
 * asking for the baseline build), or the one it runs on when not built.
 */
export function getCurrentAgentArch(): AgentArch {
  if (typeof DEBMONITOR_AGENT_ARCH === 'string' && isAgentArch(DEBMONITOR_AGENT_ARCH)) {
    return DEBMONITOR_AGENT_ARCH;
  }
  return process.arch === 'arm64' ? 'arm64' : 'x64';
}
