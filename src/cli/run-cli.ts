/**
 * The only place that decides how `debmonitor-server` ends when something fails. citty parses and
 * runs the commands, but it ignores flags a command does not declare (a misspelled `--databse` ran
 * on the default database) and prints a failed command's error with its stack and source. Here the
 * command line is first checked against the chosen command's declared flags and arguments, then
 * every failure becomes one line on stderr and an exit code: 2 for usage errors, an OperatorError's
 * own code, 1 for anything unexpected.
 */
import { type ArgsDef, type CommandDef, runCommand, showUsage } from 'citty';
import { OperatorError } from '../lib/operator-error.ts';

/** The command line itself is wrong (unknown flag or command, missing value): exit 2. */
export class UsageError extends OperatorError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** Where the outcome goes; tests may replace it. */
export interface CliIo {
  writeStdout(text: string): void;
  writeStderr(text: string): void;
  /** Also print the stack of an unexpected error (a bug, not the operator's doing). */
  debug: boolean;
}

export function createProcessIo(): CliIo {
  return {
    writeStdout: (text) => process.stdout.write(text),
    writeStderr: (text) => process.stderr.write(text),
    debug: process.env.DEBMONITOR_LOG_LEVEL === 'debug',
  };
}

// citty's own words and types; a command's definition may be given as a value, promise or function.
type Command = CommandDef<ArgsDef>;
type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
const HELP_FLAGS = ['--help', '-h'];
const VERSION_FLAGS = ['--version', '-v'];

async function resolve<T>(value: Resolvable<T>): Promise<T> {
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value;
}

/** The command a command line names, with the words after that command's name. */
interface Target {
  command: Command;
  parent?: Command;
  /** As typed: `debmonitor-server user add`. */
  name: string;
  args: string[];
}

/** Runs the command line `rawArgs` of `main` and returns the exit code (0 while `serve` keeps running). */
export async function runCli(
  main: Command,
  rawArgs: readonly string[],
  io = createProcessIo(),
): Promise<number> {
  try {
    const target = await resolveTarget(main, [...rawArgs]);
    if (beforeSeparator(rawArgs).some((arg) => HELP_FLAGS.includes(arg))) {
      await showUsage(target.command, target.parent);
      return 0;
    }
    if (rawArgs.length === 1 && VERSION_FLAGS.includes(rawArgs[0] ?? '')) {
      io.writeStdout(`${(await resolve(main.meta ?? {})).version ?? ''}\n`);
      return 0;
    }
    await checkArgs(target);
    await runCommand(main, { rawArgs: [...rawArgs] });
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** Prints the one line a failure is worth and returns its exit code. */
export function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof OperatorError) {
    io.writeStderr(`Error: ${oneLine(error.message)}\n`);
    return error.exitCode;
  }
  // citty's own parse errors (CLIError is not exported): a usage error too.
  if (error instanceof Error && error.name === 'CLIError') {
    io.writeStderr(`Error: ${oneLine(error.message)}\n`);
    return 2;
  }
  io.writeStderr(
    `Error: ${describeUnexpected(error)}${io.debug ? '' : ' (DEBMONITOR_LOG_LEVEL=debug prints the stack trace)'}\n`,
  );
  if (io.debug && error instanceof Error && error.stack) io.writeStderr(`${error.stack}\n`);
  return 1;
}

/** Follows subcommand names from `main`; flags are only accepted after the last command's name. */
async function resolveTarget(main: Command, rawArgs: string[]): Promise<Target> {
  let target: Target = {
    command: main,
    name: (await resolve(main.meta ?? {})).name ?? 'debmonitor-server',
    args: rawArgs,
  };
  for (;;) {
    const subCommands = await resolve(target.command.subCommands ?? {});
    const names = Object.keys(subCommands);
    if (names.length === 0) return target;
    const index = target.args.findIndex((arg) => !arg.startsWith('-'));
    const stray = target.args
      .slice(0, index < 0 ? undefined : index)
      .find((arg) => ![...HELP_FLAGS, ...VERSION_FLAGS].includes(arg));
    if (stray !== undefined) {
      const flag = stray.split('=')[0];
      throw new UsageError(
        `unknown option '${flag}' for ${target.name}: options go after the command (${target.name} <command> ${flag} …)`,
      );
    }
    if (index < 0) return target;
    const word = target.args[index] ?? '';
    if (!Object.hasOwn(subCommands, word)) {
      throw new UsageError(`unknown command '${word}' for ${target.name}${suggest(word, names, '')}`);
    }
    target = {
      command: await resolve(subCommands[word] as Resolvable<Command>),
      parent: target.command,
      name: `${target.name} ${word}`,
      args: target.args.slice(index + 1),
    };
  }
}

/** Refuses what citty would silently accept: unknown flags, flags without a value, extra or missing words. */
async function checkArgs(target: Target): Promise<void> {
  const subCommands = Object.keys(await resolve(target.command.subCommands ?? {}));
  if (subCommands.length > 0) {
    throw new UsageError(`${target.name} needs a command: ${subCommands.join(', ')}`);
  }
  const declared = Object.entries(await resolve(target.command.args ?? {}));
  const flags = new Map<string, { type: string; name: string }>();
  for (const [key, def] of declared) {
    if (def.type === 'positional') continue;
    const aliases = 'alias' in def && def.alias !== undefined ? [def.alias].flat() : [];
    for (const spelling of new Set([key, kebabCase(key), camelCase(key), ...aliases])) {
      flags.set(spelling, { type: def.type ?? 'string', name: key });
      if (def.type === 'boolean') flags.set(`no-${spelling}`, { type: 'boolean', name: key });
    }
  }
  const positionals: string[] = [];
  const args = target.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [spelling = '', value] = splitFlag(arg);
    const flag = flags.get(spelling);
    if (!flag) {
      const known = declared
        .filter(([, def]) => def.type !== 'positional')
        .map(([key, def]) => (def.type === 'boolean' && def.default === true ? `--[no-]${key}` : `--${key}`));
      const hint =
        suggest(spelling, [...flags.keys()], '--') ||
        (known.length > 0 ? `; it takes ${known.join(', ')}` : '; it takes no options');
      throw new UsageError(`unknown option '${arg.split('=')[0]}' for ${target.name}${hint}`);
    }
    if (flag.type === 'boolean') continue;
    const given = value ?? args[++i];
    if (given === undefined || given === '' || given.startsWith('--')) {
      throw new UsageError(`option '--${flag.name}' of ${target.name} needs a value`);
    }
  }
  const words = declared.filter(([, def]) => def.type === 'positional');
  const extra = positionals[words.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' for ${target.name}`);
  const missing = words
    .slice(positionals.length)
    .find(([, def]) => def.required !== false && def.default === undefined);
  if (missing) throw new UsageError(`${target.name} needs a ${missing[0].toUpperCase()}`);
}

/** `--name=value` → [name, value]; `-x` → [x]. */
function splitFlag(arg: string): [string, string | undefined] {
  const body = arg.replace(/^--?/, '');
  const at = body.indexOf('=');
  return at < 0 ? [body, undefined] : [body.slice(0, at), body.slice(at + 1)];
}

function beforeSeparator(args: readonly string[]): readonly string[] {
  const at = args.indexOf('--');
  return at < 0 ? args : args.slice(0, at);
}

/** `; did you mean 'serve'?` for the closest candidate within a couple of typos, else nothing. */
function suggest(word: string, candidates: readonly string[], prefix: string): string {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  if (best && best.distance <= limit) return `; did you mean '${prefix}${best.candidate}'?`;
  return '';
}

/** Levenshtein distance, a swap of two neighbours counting as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, ((rows[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
      row[j] = distance;
    }
  }
  return (rows[a.length] as number[])[b.length] ?? 0;
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Terminal colour codes, which citty puts in some of its messages. */
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** A message as one line, without terminal colours. */
function oneLine(text: string): string {
  return text
    .replace(COLOURS, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** A bug's message and its causes' (a driver error wrapped by drizzle), each cut short: one line. */
function describeUnexpected(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current !== undefined && parts.length < 3; ) {
    const text = oneLine(current instanceof Error ? current.message || current.name : String(current));
    parts.push(text.length > 300 ? `${text.slice(0, 300)}…` : text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
