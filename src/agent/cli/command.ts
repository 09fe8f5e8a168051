/** The agent as a citty command: help metadata from the option table, and a run that returns the exit code. */
import { defineCommand } from 'citty';
import { COMMAND_META, createCommandArgs } from './help.ts';
import { runCli } from './run-cli.ts';

/** `debmonitor-client`; its `run` resolves to the exit code. */
export const agentCommand = defineCommand({
  meta: COMMAND_META,
  args: createCommandArgs(),
  // citty's own parsing is only a first pass: argparse forms (prefixes, -ns, several -s values) need ours.
  run: ({ rawArgs }) => runCli(rawArgs),
});
