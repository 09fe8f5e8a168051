/**
 * The only place that decides how a run ends (citty's `runMain` exits with 1 on every error, while the
 * agent must exit 2 on usage errors): parse, resolve, run, and map failures to exit codes
 * (docs/agent.md, "Exit codes and logs").
 */
import { VERSION } from '../../lib/version.ts';
import { AgentError, UsageError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { type AgentIo, runAgent } from '../run-agent.ts';
import { getSelfTestAnswer, isSelfTestNonce, SELF_TEST_FLAG } from '../self-test.ts';
import { PROGRAM_NAME, renderHelp, USAGE_LINE } from './help.ts';
import { parseArgv } from './parse-argv.ts';
import { type AgentOptions, resolveOptions } from './resolve-options.ts';

/** The process around a run; tests may replace any part. */
export interface CliIo {
  env: Record<string, string | undefined>;
  readStdin: () => Promise<string>;
  writeStdout: (text: string) => Promise<void>;
  writeStderr: (text: string) => void;
  facts?: AgentIo['facts'];
  send?: AgentIo['send'];
}

/** The exit status shells show for a tool killed by SIGPIPE (128 + 13), as in `debmonitor -n | head`. */
export const BROKEN_PIPE_EXIT_CODE = 141;

/** The real process: stdin, stdout, stderr and the environment. */
export function createProcessIo(): CliIo {
  // Log lines nobody reads any more are dropped: the report still goes out, and the exit code tells.
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    env: process.env,
    readStdin: () => Bun.stdin.text(),
    // Bun.write resolves once everything is written, so exiting right after never truncates a payload.
    writeStdout: async (text) => {
      try {
        await Bun.write(Bun.stdout, text);
      } catch (error) {
        // The reader has gone: end at once and quietly, like a Unix tool, without a stack trace.
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(BROKEN_PIPE_EXIT_CODE);
        throw error;
      }
    },
    writeStderr: (text) => process.stderr.write(text),
  };
}

/** Runs the command line `rawArgs` and returns the exit code: 0, 1 or 2. */
export async function runCli(rawArgs: readonly string[], io: CliIo = createProcessIo()): Promise<number> {
  let options: AgentOptions;
  try {
    if (rawArgs[0] === SELF_TEST_FLAG) {
      await io.writeStdout(`${answerSelfTest(rawArgs.slice(1))}\n`);
      return 0;
    }
    const parsed = parseArgv(rawArgs);
    if (parsed.action === 'help') {
      await io.writeStdout(`${await renderHelp(process.stdout.isTTY === true)}\n`);
      return 0;
    }
    if (parsed.action === 'version') {
      await io.writeStdout(`${PROGRAM_NAME} ${VERSION}\n`);
      return 0;
    }
    // Before -d is known: the configuration's warning is the run's first line, whatever follows.
    options = await resolveOptions(parsed, { ...io, warn: createLogger(false, io.writeStderr).warn });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.writeStderr(`${USAGE_LINE}\n${PROGRAM_NAME}: error: ${error.message}\n`);
    return error.exitCode;
  }

  const logger = createLogger(options.debug, io.writeStderr);
  // One write after the other: Bun.write calls that overlap may reach stdout in any order. Each write's
  // promise is the whole chain's, so a caller that awaits it knows every earlier line is out too.
  let written = Promise.resolve();
  try {
    return await runAgent(options, {
      env: io.env,
      logger,
      facts: io.facts,
      send: io.send,
      writeStdout: (text) => {
        written = written.then(() => io.writeStdout(text));
        return written;
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`Failed to execute DebMonitor CLI: ${message}`);
    // Unexpected errors (not AgentError) are bugs: their stack helps, and -d shows it.
    if (error instanceof Error && error.stack && (!(error instanceof AgentError) || options.debug)) {
      logger.debug(error.stack);
    }
    return 1;
  } finally {
    await written;
  }
}

/** The hidden `--self-test <nonce>` mode (see ../self-test.ts); not in the help, as only the updater uses it. */
function answerSelfTest(args: readonly string[]): string {
  const [nonce] = args;
  if (args.length !== 1 || nonce === undefined || !isSelfTestNonce(nonce)) {
    throw new UsageError(`argument ${SELF_TEST_FLAG}: expected one nonce of 16 to 128 hex digits`);
  }
  return getSelfTestAnswer(nonce, VERSION);
}
