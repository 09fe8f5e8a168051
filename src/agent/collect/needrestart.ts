/**
 * `needrestart -b` (batch mode, docs/agent.md, "Reboot facts"): its kernel status and the services
 * that run outdated binaries or libraries. Only a root run sees every process, so the agent runs it
 * in full runs where it is installed, and reports nothing when it fails.
 */
import { existsSync } from 'node:fs';
import { MAX_REBOOT_LIST, type RebootFacts } from '../../protocol/report.ts';
import type { AgentLogger } from '../log.ts';
import { runCommand, summarizeOutput } from './run-command.ts';

export const NEEDRESTART_PATH = '/usr/sbin/needrestart';

/** Parses the `NEEDRESTART-…: value` lines; undefined when there are none (not batch output). */
export function parseNeedrestartBatch(text: string): RebootFacts['needrestart'] | undefined {
  let kernelStatus: number | undefined;
  const services = new Set<string>();
  let seen = false;
  for (const line of text.split('\n')) {
    const match = /^NEEDRESTART-([A-Z]+):\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    seen = true;
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 'KSTA' && /^[0-3]$/.test(value)) kernelStatus = Number(value);
    if (key === 'SVC' && value !== '' && value.length <= 255 && services.size < MAX_REBOOT_LIST)
      services.add(value);
  }
  if (!seen) return undefined;
  return {
    ...(kernelStatus === undefined ? {} : { kernel_status: kernelStatus }),
    services: [...services].sort(),
  };
}

/** Runs `needrestart -b` when it is installed; undefined when it is not or fails. */
export async function runNeedrestart(
  logger: AgentLogger,
  path = NEEDRESTART_PATH,
): Promise<RebootFacts['needrestart'] | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const result = await runCommand([path, '-b']);
    const parsed = result.exitCode === 0 ? parseNeedrestartBatch(result.stdout) : undefined;
    if (!parsed)
      logger.warn(`needrestart -b failed (exit ${result.exitCode}): ${summarizeOutput(result.stderr)}`);
    return parsed;
  } catch (error) {
    logger.warn(`needrestart -b could not run: ${(error as Error).message}`);
    return undefined;
  }
}
