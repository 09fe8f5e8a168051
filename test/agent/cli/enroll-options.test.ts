/** The options of --enroll and the renew_days key. */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgv } from '../../../src/agent/cli/parse-argv.ts';
import { resolveOptions } from '../../../src/agent/cli/resolve-options.ts';

const directory = mkdtempSync(join(tmpdir(), 'enroll-options-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function resolve(argv: string[], config = '') {
  const path = join(directory, `conf-${Math.random()}`);
  writeFileSync(path, `[DEFAULT]\n${config}\n`);
  return resolveOptions(parseArgv(['--config', path, ...argv]), { env: {}, readStdin: async () => '' });
}

describe('--enroll', () => {
  test('takes a server, a token and a CA fingerprint', async () => {
    const options = await resolve([
      '--enroll',
      '-s',
      'debmonitor.example.org:8443',
      '--token',
      'T',
      '--ca-fingerprint',
      'AB:CD',
    ]);
    expect(options).toMatchObject({
      enroll: true,
      token: 'T',
      caFingerprint: 'AB:CD',
      servers: ['debmonitor.example.org:8443'],
    });
  });
  test('needs a token', async () => {
    await expect(resolve(['--enroll', '-s', 'x'])).rejects.toThrow('argument --enroll requires --token');
  });
  test('--token and --ca-fingerprint need --enroll', async () => {
    await expect(resolve(['-s', 'x', '--token', 'T'])).rejects.toThrow('argument --token requires --enroll');
    await expect(resolve(['-s', 'x', '--ca-fingerprint', 'AB'])).rejects.toThrow(
      'argument --ca-fingerprint requires --enroll',
    );
  });
  test('does not mix with the report modes', async () => {
    await expect(resolve(['--enroll', '-s', 'x', '--token', 'T', '-u'])).rejects.toThrow(
      'argument --enroll cannot be combined with -n, -u, -g, -i or -f',
    );
  });
  test('needs a server (from the command line or the configuration)', async () => {
    await expect(resolve(['--enroll', '--token', 'T'])).rejects.toThrow('argument -s/--server is required');
    expect((await resolve(['--enroll', '--token', 'T'], 'server=x')).servers).toEqual(['x']);
  });
  test('is not a configuration key', async () => {
    const options = await resolve(['-s', 'x'], 'enroll=yes\ntoken=T');
    expect(options.enroll).toBe(false);
    expect(options.unknownConfigKeys).toEqual(['enroll', 'token']);
  });
});

describe('renew_days', () => {
  test('is off unless configured', async () => {
    expect((await resolve(['-s', 'x'])).renewDays).toBe(0);
    expect((await resolve(['-s', 'x'], 'renew_days=30')).renewDays).toBe(30);
  });
  test('must be a whole number', async () => {
    await expect(resolve(['-s', 'x'], 'renew_days=soon')).rejects.toThrow(
      "configuration key 'renew_days': invalid int value: 'soon'",
    );
  });
});
