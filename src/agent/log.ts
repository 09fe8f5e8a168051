/**
 * Log lines in legacy's format, `LEVEL:debmonitor:message`, always on stderr: stdout is reserved for the
 * dry-run payload (docs/agent.md, "Exit codes and logs"), and operators grep apt output for these lines.
 */

import type { Logger } from '../lib/logger.ts';

/** The agent's logger; `debug` lines appear only with -d. */
export interface AgentLogger extends Logger {
  readonly debugEnabled: boolean;
}

/** Creates a logger that writes to `write` (stderr by default). */
export function createLogger(
  debugEnabled: boolean,
  write: (line: string) => void = (line) => process.stderr.write(line),
): AgentLogger {
  const log = (level: string, message: string) => write(`${level}:debmonitor:${message}\n`);
  return {
    debugEnabled,
    debug: (message) => {
      if (debugEnabled) log('DEBUG', message);
    },
    info: (message) => log('INFO', message),
    warn: (message) => log('WARNING', message),
    error: (message) => log('ERROR', message),
  };
}
