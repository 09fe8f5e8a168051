/**
 * `debmonitor-server enroll-token create|list|remove`: tokens with which hosts get a certificate
 * from the built-in CA (docs/protocol.md, "Enrollment"). The token is printed once; the database
 * keeps its SHA-256 only.
 */
import { type ArgsDef, defineCommand } from 'citty';
import { explainHostPatternProblem } from '../domain/host-pattern.ts';
import { OperatorError } from '../lib/operator-error.ts';
import { parseDuration } from '../lib/parse-duration.ts';
import { createArgumentToken, sha256Hex } from '../lib/tokens.ts';
import { loadAuthority } from '../pki/authority.ts';
import { pkiPaths } from '../pki/pki-files.ts';
import { createEnrollToken, deleteEnrollToken, listEnrollTokens } from '../store/pki/enroll-tokens.ts';
import { fingerprintOf, type PkiCommandOptions } from './pki-command.ts';
import { printTable } from './print-table.ts';

const MAX_USES = 100_000;

function parseUses(text: string): number {
  const uses = /^\d{1,6}$/.test(text) ? Number(text) : 0;
  if (uses < 1 || uses > MAX_USES)
    throw new OperatorError(`--uses takes a number from 1 to ${MAX_USES}, not '${text}'`);
  return uses;
}

export function createEnrollTokenCommand<A extends ArgsDef>(
  options: PkiCommandOptions<A> & { printNote?: (line: string) => void },
) {
  const print = options.print ?? ((line: string) => console.log(line));
  const printNote = options.printNote ?? ((line: string) => console.error(line));

  const create = defineCommand({
    meta: {
      name: 'create',
      description: 'Create a token and print it (only now: the database keeps its hash)',
    },
    args: {
      ...options.commonArgs,
      hosts: {
        type: 'string',
        description: "Host names it may enroll, a shell-style pattern such as '*.example.org' (default: any)",
      },
      uses: { type: 'string', description: 'How many hosts it may enroll (default: 1)' },
      expires: { type: 'string', description: 'How long it is valid: 30m, 24h, 7d, 2w (default: 24h)' },
    },
    async run({ args }) {
      const hostPattern = String(args.hosts ?? '*');
      const problem = explainHostPatternProblem(hostPattern);
      if (problem) throw new OperatorError(`--hosts '${hostPattern}' ${problem}`);
      const uses = parseUses(String(args.uses ?? '1'));
      const lifetime = parseDuration(String(args.expires ?? '24h'));
      if (lifetime === null)
        throw new OperatorError(
          `--expires takes a duration such as 30m, 24h, 7d or 2w, not '${args.expires}'`,
        );
      const config = options.readConfig(args);
      const authority = await loadAuthority(pkiPaths(config.pkiDir));
      if (!authority) {
        printNote(
          `Warning: ${config.pkiDir} holds no CA yet: enrollment answers 503 until debmonitor-server pki init has run`,
        );
      }
      const token = createArgumentToken(32);
      const expires = new Date(Date.now() + lifetime);
      const id = await options.withDatabase(config, (database) =>
        createEnrollToken(database, { tokenHash: sha256Hex(token), hostPattern, uses, expires }),
      );
      print(token);
      printNote(
        `Token #${id} enrolls ${uses} host(s) matching '${hostPattern}' until ${expires.toISOString()}; it is not shown again.`,
      );
      printNote(
        `On a host: debmonitor --enroll --server https://SERVER:PORT --token TOKEN${authority ? ` --ca-fingerprint ${fingerprintOf(authority.certificate)}` : ''}`,
      );
    },
  });

  const list = defineCommand({
    meta: { name: 'list', description: 'List the tokens (never the tokens themselves)' },
    args: options.commonArgs,
    async run({ args }) {
      const tokens = await options.withDatabase(options.readConfig(args), listEnrollTokens);
      const now = Date.now();
      printTable(
        print,
        ['ID', 'HOSTS', 'USES-LEFT', 'EXPIRES', 'STATUS'],
        tokens.map((token) => [
          String(token.id),
          token.hostPattern,
          String(token.usesLeft),
          token.expires.toISOString(),
          token.expires.getTime() <= now ? 'expired' : token.usesLeft <= 0 ? 'used up' : 'valid',
        ]),
      );
    },
  });

  const remove = defineCommand({
    meta: { name: 'remove', description: 'Delete a token, so it enrolls nobody any more' },
    args: {
      ...options.commonArgs,
      id: { type: 'positional', description: 'The token number (enroll-token list)', required: true },
    },
    async run({ args }) {
      const id = /^\d{1,9}$/.test(String(args.id)) ? Number(args.id) : 0;
      const removed =
        id > 0 &&
        (await options.withDatabase(options.readConfig(args), (database) => deleteEnrollToken(database, id)));
      if (!removed) throw new OperatorError(`No enrollment token #${args.id}`);
      print(`Removed enrollment token #${id}`);
    },
  });

  return defineCommand({
    meta: {
      name: 'enroll-token',
      description: 'Tokens with which hosts get a certificate from the built-in CA',
    },
    subCommands: { create, list, remove },
  });
}
