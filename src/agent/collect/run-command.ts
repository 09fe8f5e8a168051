/** Runs the host's package tools (apt-get, apt-cache, dpkg, dpkg-deb) and captures their output. */
import { AgentError } from '../errors.ts';

/** What a finished command left behind. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `argv` with the C locale, so the output is parsed in the format the parsers expect whatever the
 * host's language; throws AgentError when the program cannot be started at all.
 */
export async function runCommand(argv: readonly string[]): Promise<CommandResult> {
  let child: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  try {
    child = Bun.spawn([...argv], {
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: '' },
    });
  } catch (error) {
    throw new AgentError(`Unable to run ${argv[0]}: ${(error as Error).message}`);
  }
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/** Returns the last lines of a command's error output, for a message that fits on a screen. */
export function summarizeOutput(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}
