/**
 * Log lines in legacy's format, `LEVEL:debmonitor:message`, always on stderr: stdout is reserved for the
 * dry-run payload (spec/agent.md §4.3, §4.7), and operators grep apt output for these lines.
 */

/** The agent's logger; `debug` lines appear only with -d. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  readonly debugEnabled: boolean;
}

/** Creates a logger that writes to `write` (stderr by default). */
export function createLogger(
  debugEnabled: boolean,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
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
