/** The native dpkg architecture, which decides whether a package name carries `:arch`. */
import { AgentError } from '../errors.ts';
import { runCommand, summarizeOutput } from './run-command.ts';

/** Returns `dpkg --print-architecture`, e.g. `amd64`. */
export async function readNativeArchitecture(): Promise<string> {
  const result = await runCommand(['dpkg', '--print-architecture']);
  const architecture = result.stdout.trim();
  if (result.exitCode !== 0 || architecture === '') {
    throw new AgentError(`dpkg --print-architecture failed: ${summarizeOutput(result.stderr)}`);
  }
  return architecture;
}
