/** A tiny leveled logger writing one line per event to stderr (journald adds the timestamps). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let stderrGuarded = false;

/**
 * Writes a line to stderr, dropping it when nobody reads stderr any more (EPIPE): a server whose log
 * reader went away (a pipe, a restarted collector) must go on serving.
 */
function writeToStderr(line: string): void {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on('error', () => {});
  }
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // The stream is gone; the line is lost, the process is not.
  }
}

/** Creates a logger that drops messages below `level`; `sink` defaults to stderr. */
export function createLogger(level: LogLevel = 'info', sink: (line: string) => void = writeToStderr): Logger {
  const emit = (at: LogLevel) => (message: string) => {
    if (ORDER[at] >= ORDER[level]) sink(`${at.toUpperCase()} ${message}`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that keeps lines in memory, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createLogger('debug', (line) => lines.push(line)) };
}
