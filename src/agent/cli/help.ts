/** The help text, rendered by citty from the option table. */
import { type ArgsDef, type CommandMeta, renderUsage } from 'citty';
import { VERSION } from '../../lib/version.ts';
import { OPTION_TABLE } from './option-table.ts';

/**
 * The program name of usage lines, errors, `--help` and `--version`: the name the binary is installed
 * under (README.md, "The agent"), as the log lines' `LEVEL:debmonitor:` already say.
 */
export const PROGRAM_NAME = 'debmonitor';

/** The short usage line printed above usage errors, like argparse's. */
export const USAGE_LINE =
  `usage: ${PROGRAM_NAME} [-h] [--config PATH] [-s HOST [HOST ...]] [-p PORT] [-i NAME | -f PATH] ` +
  '[-c PATH] [-k PATH] [--ca PATH] [-a {v1}] [-u | -g] [-n] [--retries N] [--retry-backoff SECONDS] ' +
  '[-d] [--check] [--version]';

/** citty's description of the program. */
export const COMMAND_META: CommandMeta = {
  name: PROGRAM_NAME,
  version: VERSION,
  description: 'Report the Debian packages of this host (or image) and their pending upgrades to DebMonitor.',
};

/** The option table in citty's terms; a fresh object each time, because citty's parser adds aliases to it. */
export function createCommandArgs(): ArgsDef {
  return Object.fromEntries(
    OPTION_TABLE.map((option) => [
      option.long,
      {
        type: option.kind === 'flag' || option.kind === 'action' ? 'boolean' : 'string',
        description: option.help,
        alias: option.short ? [option.short] : undefined,
        valueHint: option.kind === 'servers' ? `${option.metavar} ...` : option.metavar,
      },
    ]),
  );
}

const EPILOG = `
Modes: with no mode option, a full report (cron or systemd timer); -u after "apt update"
(APT::Update::Post-Invoke); -g as a DPkg::Pre-Install-Pkgs hook with protocol version 3.
Defaults come from the [DEFAULT] section of /etc/debmonitor.conf; the command line wins.
Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error, 141 stdout closed early.
`;

/** Renders the full help text; colours only on a terminal, so a redirected help stays plain text. */
export async function renderHelp(colors: boolean): Promise<string> {
  const usage = await renderUsage({ meta: COMMAND_META, args: createCommandArgs() });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is removed
  return `${colors ? usage : usage.replace(/\x1b\[[0-9;]*m/g, '')}\n${EPILOG}`;
}
