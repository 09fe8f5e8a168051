/** Runs the agent from source as a separate process, the way cron and APT start it. */
import { join } from 'node:path';

/** The agent's entry point in this repository. */
export const AGENT_ENTRY = join(import.meta.dir, '..', '..', '..', 'src', 'agent.ts');

/** What a finished agent run left. */
export interface AgentRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the agent with `args`; `env` is added to the test's environment, `stdin` is written then closed. */
export async function runAgentProcess(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<AgentRun> {
  const child = Bun.spawn([process.execPath, AGENT_ENTRY, ...args], {
    stdin: new Blob([options.stdin ?? '']),
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, ...options.env },
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}
