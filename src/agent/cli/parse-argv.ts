/**
 * An argparse-compatible command-line parser: `--opt value`, `--opt=value`, `-p8443`, bundled short flags
 * (`-ns host`), unique prefixes of long options (`--dpkg`), several values after one `-s`. citty's own
 * parser knows none of these forms, and existing hook lines and cron jobs rely on them.
 */
import { UsageError } from '../errors.ts';
import { formatOptionName, OPTION_TABLE, type OptionSpec } from './option-table.ts';

/** A raw option value: `true` for flags, one string, or the collected values of a multi-value option. */
export type RawOptionValue = true | string | string[];

/** The command line, split into options but not converted yet (conversion happens after the config file). */
export interface ParsedArgv {
  values: Map<string, RawOptionValue>;
  /** Set when `--help` or `--version` was met: parsing stopped there, like argparse. */
  action?: 'help' | 'version';
}

/** Splits `argv` into option values; throws UsageError for unknown, ambiguous or incomplete options. */
export function parseArgv(argv: readonly string[], table: readonly OptionSpec[] = OPTION_TABLE): ParsedArgv {
  const values = new Map<string, RawOptionValue>();
  const unrecognized: string[] = [];
  let index = 0;

  /** Takes the value(s) of a value-taking option, from `explicit` or from the following arguments. */
  const consume = (spec: OptionSpec, explicit: string | undefined): void => {
    if (spec.kind === 'servers') {
      const collected = explicit !== undefined ? [explicit] : [];
      if (explicit === undefined) {
        while (index < argv.length && !looksLikeOption(argv[index]!)) collected.push(argv[index++]!);
      }
      if (collected.length === 0) {
        throw new UsageError(`argument ${formatOptionName(spec)}: expected at least one argument`);
      }
      // Repeating -s adds servers (legacy kept only the last list, which nobody meant).
      const previous = values.get(spec.dest);
      values.set(spec.dest, [...(Array.isArray(previous) ? previous : []), ...collected]);
      return;
    }
    let value = explicit;
    if (value === undefined) {
      const next = argv[index];
      if (next === undefined || looksLikeOption(next)) {
        throw new UsageError(`argument ${formatOptionName(spec)}: expected one argument`);
      }
      value = next;
      index++;
    }
    values.set(spec.dest, value);
  };

  while (index < argv.length) {
    const arg = argv[index++]!;
    if (arg === '--') {
      unrecognized.push(...argv.slice(index));
      break;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      const explicit = equals === -1 ? undefined : arg.slice(equals + 1);
      const spec = findLongOption(name, table);
      if (!spec) {
        unrecognized.push(arg);
        continue;
      }
      if (spec.kind === 'action') return { values, action: spec.dest === 'help' ? 'help' : 'version' };
      if (spec.kind === 'flag') {
        if (explicit !== undefined) {
          throw new UsageError(`argument ${formatOptionName(spec)}: ignored explicit argument '${explicit}'`);
        }
        values.set(spec.dest, true);
        continue;
      }
      consume(spec, explicit);
      continue;
    }
    if (arg.startsWith('-') && arg !== '-' && !isNegativeNumber(arg)) {
      const cluster = arg.slice(1);
      for (let position = 0; position < cluster.length; position++) {
        const spec = table.find((option) => option.short === cluster[position]);
        if (!spec) {
          unrecognized.push(position === 0 ? arg : `-${cluster.slice(position)}`);
          break;
        }
        if (spec.kind === 'action') return { values, action: spec.dest === 'help' ? 'help' : 'version' };
        if (spec.kind === 'flag') {
          values.set(spec.dest, true);
          continue;
        }
        let rest = cluster.slice(position + 1);
        if (position === 0 && rest.startsWith('=')) rest = rest.slice(1);
        consume(spec, rest === '' ? undefined : rest);
        break;
      }
      continue;
    }
    unrecognized.push(arg);
  }
  if (unrecognized.length > 0) throw new UsageError(`unrecognized arguments: ${unrecognized.join(' ')}`);
  return { values };
}

/** Resolves a long option name: an exact match, else a unique prefix (argparse's allow_abbrev). */
function findLongOption(name: string, table: readonly OptionSpec[]): OptionSpec | undefined {
  const exact = table.find((option) => option.long === name);
  if (exact) return exact;
  const matches = table.filter((option) => option.long.startsWith(name));
  if (matches.length > 1) {
    const names = matches.map((option) => `--${option.long}`).join(', ');
    throw new UsageError(`ambiguous option: --${name} could match ${names}`);
  }
  return matches[0];
}

/** True for arguments argparse would read as an option rather than a value. */
function looksLikeOption(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-' && !isNegativeNumber(arg);
}

/** argparse reads `-5` as a value when no option looks like a negative number. */
function isNegativeNumber(arg: string): boolean {
  return /^-\d+$|^-\d*\.\d+$/.test(arg);
}
