/**
 * `debmonitor-server user add|passwd|list|remove`: local accounts from the command line, for the
 * first superuser, scripts and recovery. Passwords come from standard input (--password-stdin) or
 * are generated and printed, so every subcommand runs unattended.
 */
import { type ArgsDef, defineCommand } from 'citty';
import type { Database } from '../db/open-database.ts';
import { checkUsername } from '../domain/username-policy.ts';
import { OperatorError } from '../lib/operator-error.ts';
import { changePassword, createAccount, generatePassword } from '../store/accounts/create-account.ts';
import { deleteUserByName, findUserByName, listUsers } from '../store/accounts/users.ts';

/** A failure the operator caused and can fix: printed as its message alone, without a stack. */
export class CommandError extends OperatorError {
  override name = 'CommandError';
}

/** How the user command reaches the database chosen by the common --config/--database flags. */
export interface UserCommandOptions<A extends ArgsDef> {
  /** The flags every subcommand accepts (--config, --database). */
  commonArgs: A;
  /** Opens the database those flags name, runs `work`, and closes it. */
  withDatabase<T>(args: Record<string, unknown>, work: (database: Database) => Promise<T>): Promise<T>;
  /** Where results go (stdout). */
  print?: (line: string) => void;
  /** The whole of standard input, for --password-stdin. */
  readStdin?: () => Promise<string>;
}

const usernameArg = { type: 'positional', description: 'The account name', required: true } as const;
const passwordStdinArg = {
  type: 'boolean',
  description:
    'Read the password from the first line of standard input (otherwise one is generated and printed)',
} as const;

/** Builds the `user` command and its subcommands. */
export function createUserCommand<A extends ArgsDef>(options: UserCommandOptions<A>) {
  const print = options.print ?? ((line: string) => console.log(line));
  const readStdin = options.readStdin ?? (() => Bun.stdin.text());

  /** The password to set: read, or generated (and then printed); the rules are checked on use. */
  async function choosePassword(
    username: string,
    fromStdin: boolean,
  ): Promise<{ password: string; generated: boolean }> {
    if (!fromStdin) return { password: await generatePassword(username), generated: true };
    return { password: (await readStdin()).split(/\r?\n/)[0] ?? '', generated: false };
  }

  const add = defineCommand({
    meta: { name: 'add', description: 'Create an account' },
    args: {
      ...options.commonArgs,
      username: usernameArg,
      superuser: { type: 'boolean', description: 'Make the account a superuser (may manage users)' },
      'password-stdin': passwordStdinArg,
      password: {
        type: 'boolean',
        default: true,
        description: '--no-password: an account without a password, for sign-in through CAS only',
      },
    },
    async run({ args }) {
      const username = String(args.username);
      const problem = checkUsername(username);
      if (problem) throw new CommandError(problem);
      const chosen =
        args.password === false ? null : await choosePassword(username, Boolean(args['password-stdin']));
      const outcome = await options.withDatabase(args, (database) =>
        createAccount(database, {
          username,
          password: chosen?.password ?? null,
          isSuperuser: Boolean(args.superuser),
        }),
      );
      if (!outcome.ok) throw new CommandError(outcome.problems.join(' '));
      print(`Created ${args.superuser ? 'superuser' : 'user'} ${username}`);
      if (chosen?.generated) print(`Password: ${chosen.password}`);
    },
  });

  const passwd = defineCommand({
    meta: { name: 'passwd', description: "Set an account's password and end its sessions" },
    args: { ...options.commonArgs, username: usernameArg, 'password-stdin': passwordStdinArg },
    async run({ args }) {
      const username = String(args.username);
      const chosen = await choosePassword(username, Boolean(args['password-stdin']));
      await options.withDatabase(args, async (database) => {
        const user = await findUserByName(database, username);
        if (!user) throw new CommandError(`No user named '${username}'`);
        const problems = await changePassword(database, user, chosen.password);
        if (problems.length > 0) throw new CommandError(problems.join(' '));
      });
      print(`Password of ${username} changed`);
      if (chosen.generated) print(`Password: ${chosen.password}`);
    },
  });

  const list = defineCommand({
    meta: { name: 'list', description: 'List the accounts' },
    args: options.commonArgs,
    async run({ args }) {
      const users = await options.withDatabase(args, listUsers);
      const rows = users.map((user) => [
        user.username,
        user.isSuperuser ? 'superuser' : 'user',
        user.isActive ? 'active' : 'disabled',
        user.hasPassword ? 'password' : 'no-password',
        user.lastLogin ? user.lastLogin.toISOString() : 'never',
      ]);
      const header = ['USERNAME', 'ROLE', 'STATUS', 'SIGN-IN', 'LAST-LOGIN'];
      const widths = header.map((title, column) =>
        Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
      );
      for (const row of [header, ...rows])
        print(
          row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd(),
        );
    },
  });

  const remove = defineCommand({
    meta: { name: 'remove', description: 'Delete an account and its sessions' },
    args: { ...options.commonArgs, username: usernameArg },
    async run({ args }) {
      const username = String(args.username);
      const removed = await options.withDatabase(args, (database) => deleteUserByName(database, username));
      if (!removed) throw new CommandError(`No user named '${username}'`);
      print(`Removed user ${username}`);
    },
  });

  return defineCommand({
    meta: { name: 'user', description: 'Manage the accounts people sign in with' },
    subCommands: { add, passwd, list, remove },
  });
}
