import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgv } from '../../../src/agent/cli/parse-argv.ts';
import {
  type AgentOptions,
  DEFAULT_SPOOL_DIR,
  resolveOptions,
} from '../../../src/agent/cli/resolve-options.ts';

const directory = mkdtempSync(join(tmpdir(), 'agent-options-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Writes a file in the test directory and returns its path. */
function writeFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const OK_CONF = writeFile(
  'client.ok.conf',
  '[DEFAULT]\nserver=debmonitor.example.com\nport=443\ncert=CERT_PATH\nkey=KEY_PATH\nca=CA_PATH\n',
);
const KO_CONF = writeFile('client.ko.conf', '[DEFAULT\nserver=\nport=not_a_port\n');
const VALID_JSON = writeFile('valid_json', '{"key": "value"}');
const INVALID_JSON = writeFile('invalid_json', 'invalid json');

/** Resolves a command line; a config is always given so the host's /etc/debmonitor.conf never leaks in. */
function resolve(argv: string[], env: Record<string, string> = {}, stdin = ''): Promise<AgentOptions> {
  const withConfig = argv.some((arg) => arg.startsWith('--config'))
    ? argv
    : ['--config', '/dev/null', ...argv];
  return resolveOptions(parseArgv(withConfig), { env, readStdin: async () => stdin });
}

/** Writes a config with `body` after [DEFAULT] and resolves `argv` with it. */
function resolveWithConfig(body: string, argv: string[] = []): Promise<AgentOptions> {
  return resolve(['--config', writeFile(`conf-${Math.random()}`, `[DEFAULT]\n${body}\n`), ...argv]);
}

describe('resolveOptions', () => {
  describe('§8.1 argument rules', () => {
    test('1. -s localhost gives ["localhost"]', async () => {
      expect((await resolve(['-s', 'localhost'])).servers).toEqual(['localhost']);
    });
    test('2. no server and no -n is a usage error', async () => {
      await expect(resolve([])).rejects.toThrow(
        'argument -s/--server is required unless -n/--dry-run is set',
      );
    });
    test('3. -n without a server is accepted', async () => {
      expect((await resolve(['-n'])).dryRun).toBe(true);
    });
    test('4. -k without -c is a usage error', async () => {
      await expect(resolve(['-n', '-k', 'cert.key'])).rejects.toThrow(
        'argument -c/--cert is required when -k/--key is set',
      );
    });
    test('5. -u with -g is a usage error', async () => {
      await expect(resolve(['-n', '-u', '-g'])).rejects.toThrow(
        'argument -u/--upgradable and -g/--dpkg-hook are mutually exclusive',
      );
    });
    test('7. client.ok.conf gives servers, integer port, cert, key and ca', async () => {
      const options = await resolve(['--config', OK_CONF]);
      expect(options).toMatchObject({
        configPath: OK_CONF,
        servers: ['debmonitor.example.com'],
        port: 443,
        cert: 'CERT_PATH',
        key: 'KEY_PATH',
        ca: 'CA_PATH',
      });
    });
    test('8. the command line wins over the config', async () => {
      const options = await resolve([
        '--config',
        OK_CONF,
        '-c',
        'DUMMY_CERT',
        '-k',
        'DUMMY_KEY',
        '-p',
        '18081',
      ]);
      expect([options.cert, options.key, options.port]).toEqual(['DUMMY_CERT', 'DUMMY_KEY', 18081]);
    });
    test('9. client.ko.conf is a usage error', async () => {
      await expect(resolve(['--config', KO_CONF])).rejects.toThrow(
        `Unable to parse configuration file ${KO_CONF}`,
      );
    });
    test('10. --ca keeps the path without reading the file', async () => {
      expect((await resolve(['-n', '--ca', join(directory, 'ca_bundle.crt')])).ca).toBe(
        join(directory, 'ca_bundle.crt'),
      );
    });
    test('11. no --ca leaves the CA unset (the system bundle is used when sending)', async () => {
      expect((await resolve(['-n'])).ca).toBeUndefined();
    });
    test('12. -f with a missing file fails before the server check', async () => {
      await expect(resolve(['-f', 'nonexistent'])).rejects.toThrow(
        "argument -f/--image-file: can't open 'nonexistent': No such file or directory",
      );
    });
    test('13. -f with invalid JSON', async () => {
      await expect(resolve(['-f', INVALID_JSON])).rejects.toThrow(
        'argument -f/--image-file: Failed to load JSON file',
      );
    });
    test('14. -n -f valid_json loads the payload', async () => {
      expect((await resolve(['-n', '-f', VALID_JSON])).imagePayload).toEqual({ key: 'value' });
    });
    test('-f - reads the payload from stdin', async () => {
      expect((await resolve(['-n', '-f', '-'], {}, '{"image_name": "x"}')).imagePayload).toEqual({
        image_name: 'x',
      });
    });
    test('-f with an empty JSON object is refused (legacy fell through to collection)', async () => {
      await expect(resolve(['-n', '-f', writeFile('empty.json', '{}')])).rejects.toThrow('holds no payload');
    });
    test('15. a missing --config file is ignored', async () => {
      expect((await resolve(['--config', join(directory, 'missing.conf'), '-n'])).dryRun).toBe(true);
    });
    test('16. -a v2 is an invalid choice', async () => {
      await expect(resolve(['-n', '-a', 'v2'])).rejects.toThrow('argument -a/--api: invalid choice');
    });
    for (const [flag, name] of [
      ['-p', '-p/--port'],
      ['--retries', '--retries'],
      ['--retry-backoff', '--retry-backoff'],
    ] as const) {
      test(`17. ${flag} abc is an invalid int`, async () => {
        await expect(resolve(['-n', flag, 'abc'])).rejects.toThrow(
          `argument ${name}: invalid int value: 'abc'`,
        );
      });
    }
    test('17. 0x10 is not an int', async () => {
      await expect(resolve(['-n', '-p', '0x10'])).rejects.toThrow('invalid int value');
    });
    test('18. two servers after one -s, in order', async () => {
      expect((await resolve(['-s', 'a.example.org', 'b.example.org'])).servers).toEqual([
        'a.example.org',
        'b.example.org',
      ]);
    });
    test('19. comma-separated servers in the config', async () => {
      expect((await resolveWithConfig('server=a.example.org,b.example.org')).servers).toEqual([
        'a.example.org',
        'b.example.org',
      ]);
    });
    test('20. repeated -s flags add up', async () => {
      expect((await resolve(['-s', 'a', '-s', 'b'])).servers).toEqual(['a', 'b']);
    });
    test('21. config servers are trimmed', async () => {
      expect((await resolveWithConfig('server=a, b')).servers).toEqual(['a', 'b']);
    });
    test('a comma inside a command-line value splits too', async () => {
      expect((await resolve(['-s', 'a,b'])).servers).toEqual(['a', 'b']);
    });
    test('a config port that is not an int gives the command-line message', async () => {
      await expect(resolveWithConfig('server=a\nport=x')).rejects.toThrow(
        "argument -p/--port: invalid int value: 'x'",
      );
    });
    test('a malformed server is a usage error', async () => {
      await expect(resolve(['-s', 'http://a.example.org'])).rejects.toThrow('only https:// is supported');
    });
  });

  describe('reads booleans with the usual words (§8.1 item 22)', () => {
    for (const word of ['false', 'no', 'off', '0', '']) {
      test(`upgradable=${word} is off`, async () => {
        expect((await resolveWithConfig(`server=a\nupgradable=${word}`)).upgradable).toBe(false);
      });
    }
    for (const word of ['true', 'yes', 'on', '1', 'TRUE']) {
      test(`debug=${word} is on`, async () => {
        expect((await resolveWithConfig(`server=a\ndebug=${word}`)).debug).toBe(true);
      });
    }
    test('any other word is a usage error', async () => {
      await expect(resolveWithConfig('server=a\ndry_run=maybe')).rejects.toThrow(
        "configuration key 'dry_run' must be a boolean",
      );
    });
  });

  describe('config keys', () => {
    test('24. retry-backoff (hyphen) does not set retry_backoff and is reported unknown', async () => {
      const options = await resolveWithConfig('server=a\nretry-backoff=5');
      expect(options.retryBackoff).toBe(60);
      expect(options.unknownConfigKeys).toEqual(['retry-backoff']);
    });
    test('an unknown key is warned about before any other check, with the key it likely misspells', async () => {
      const path = writeFile(
        'misspelt.conf',
        '[DEFAULT]\nsever=debmonitor.example.com\nretry-backoff=5\nfoo=1\n',
      );
      const warnings: string[] = [];
      const resolving = resolveOptions(parseArgv(['--config', path]), {
        env: {},
        readStdin: async () => '',
        warn: (message) => warnings.push(message),
      });
      // The misspelt server= then makes the run a usage error: the warning came first, and says why.
      await expect(resolving).rejects.toThrow('argument -s/--server is required');
      expect(warnings).toEqual([
        `Ignoring unknown key(s) in ${path}: sever (did you mean server?), retry-backoff (did you mean retry_backoff?), foo`,
      ]);
    });
    test('hostname= and os= override the collected values', async () => {
      const options = await resolveWithConfig('server=a\nhostname=host1.example.org\nos=Debian 12');
      expect([options.hostname, options.os]).toEqual(['host1.example.org', 'Debian 12']);
    });
    test('the spool directory defaults, comes from spool_dir, and DEBMONITOR_SPOOL_DIR wins', async () => {
      expect((await resolve(['-n'])).spoolDir).toBe(DEFAULT_SPOOL_DIR);
      expect((await resolveWithConfig('spool_dir=/srv/spool', ['-n'])).spoolDir).toBe('/srv/spool');
      expect((await resolve(['-n'], { DEBMONITOR_SPOOL_DIR: '/tmp/x' })).spoolDir).toBe('/tmp/x');
    });
    test('defaults: port 443, 3 retries, backoff 60, api v1', async () => {
      expect(await resolve(['-n'])).toMatchObject({ port: 443, retries: 3, retryBackoff: 60, api: 'v1' });
    });
  });

  describe('hook modes without a server (§8.5 item 75)', () => {
    test('-g with no server is accepted as an unconfigured hook', async () => {
      expect((await resolve(['-g'])).unconfiguredHook).toBe(true);
    });
    test('-u with no server is accepted as an unconfigured hook', async () => {
      expect((await resolve(['-u'])).unconfiguredHook).toBe(true);
    });
  });
});
