import { describe, expect, test } from 'bun:test';
import { createSelfTestNonce, getSelfTestAnswer, isSelfTestNonce } from '../../src/agent/self-test.ts';
import { VERSION } from '../../src/lib/version.ts';
import { runAgentProcess } from './helpers/run-agent-process.ts';

describe('getSelfTestAnswer', () => {
  test('names the version and hashes the nonce with the version marker', () => {
    const nonce = '0123456789abcdef';
    const digest = new Bun.CryptoHasher('sha256')
      .update(`debmonitor-self-test\n${nonce}\n@(#)debmonitor 1.0.1`)
      .digest('hex');
    expect(getSelfTestAnswer(nonce, '1.0.1')).toBe(`debmonitor-self-test 1.0.1 ${digest}`);
  });

  test('differs for another nonce or another version', () => {
    const answer = getSelfTestAnswer('0123456789abcdef', '1.0.1');
    expect(getSelfTestAnswer('0123456789abcdee', '1.0.1')).not.toBe(answer);
    expect(getSelfTestAnswer('0123456789abcdef', '1.0.2').split(' ')[2]).not.toBe(answer.split(' ')[2]);
  });

  test('nonces are fresh hex', () => {
    const nonce = createSelfTestNonce();
    expect(isSelfTestNonce(nonce)).toBe(true);
    expect(createSelfTestNonce()).not.toBe(nonce);
    expect(isSelfTestNonce('0123')).toBe(false);
    expect(isSelfTestNonce('0123456789ABCDEF')).toBe(false);
  });
});

describe('debmonitor --self-test', () => {
  test('prints the answer for the nonce and exits 0', async () => {
    const nonce = createSelfTestNonce();
    const run = await runAgentProcess(['--self-test', nonce]);
    expect(run).toEqual({ exitCode: 0, stdout: `${getSelfTestAnswer(nonce, VERSION)}\n`, stderr: '' });
  });

  test('refuses a missing or malformed nonce, or more arguments, with a usage error', async () => {
    for (const args of [[], ['not-hex-at-all!!'], ['0123456789abcdef', '-n']]) {
      const run = await runAgentProcess(['--self-test', ...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(
        'debmonitor: error: argument --self-test: expected one nonce of 16 to 128 hex digits',
      );
    }
  });

  test('is not in the help, and only works first', async () => {
    expect((await runAgentProcess(['--help'])).stdout).not.toContain('self-test');
    const run = await runAgentProcess(['-n', '--self-test', '0123456789abcdef']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unrecognized arguments: --self-test 0123456789abcdef');
  });
});
