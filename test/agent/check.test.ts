/** `debmonitor --check`: one line each, in one order, also among the log lines when both streams meet. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/agent/cli/run-cli.ts';
import { type ReportServer, startReportServer } from './helpers/report-server.ts';
import { createTlsMaterial, type TlsMaterial } from './helpers/tls-material.ts';

let dir: string;
let tls: TlsMaterial;
let server: ReportServer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'debmonitor-check-'));
  tls = createTlsMaterial(join(dir, 'tls'));
  server = startReportServer({ tls, respond: () => new Response('OK', { status: 200 }) });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
  const port = probe.port ?? 0;
  await probe.stop(true);
  return port;
}

/**
 * Runs `debmonitor --check` in process with stdout and stderr going to one transcript, as on a
 * terminal or through `2>&1 | logger`; every stdout write takes a while, as with a slow reader.
 */
async function checkTranscript(args: string[]): Promise<{ code: number; lines: string[] }> {
  const config = join(dir, 'debmonitor.conf');
  writeFileSync(config, '[DEFAULT]\nhostname=host1.example.org\nos=Debian 12\n');
  let transcript = '';
  const code = await runCli(
    ['--config', config, '--check', '--ca', tls.caPath, '-c', tls.clientCombinedPath, ...args],
    {
      env: { DEBMONITOR_SPOOL_DIR: join(dir, 'spool') },
      readStdin: async () => '',
      writeStdout: async (text) => {
        await Bun.sleep(5);
        transcript += text;
      },
      writeStderr: (text) => {
        transcript += text;
      },
    },
  );
  expect(transcript).toEndWith('\n');
  return { code, lines: transcript.slice(0, -1).split('\n') };
}

describe('--check', () => {
  test('prints one line per item, the identity first, then each server in turn after its retries', async () => {
    const down = await closedPort();
    const { code, lines } = await checkTranscript([
      '-d',
      '--retries',
      '1',
      '--retry-backoff',
      '0',
      '-s',
      `127.0.0.1:${down}`,
      '-s',
      `127.0.0.1:${server.port}`,
    ]);
    expect(code).toBe(1);
    const config = join(dir, 'debmonitor.conf');
    // Debug lines may come before the identity; everything after it follows the run's steps.
    const first = lines.indexOf(`hostname: host1.example.org (hostname= in ${config})`);
    expect(first).toBeGreaterThanOrEqual(0);
    const rest = lines.slice(first);
    expect(rest[1]).toBe(`os: Debian 12 (os= in ${config})`);
    expect(rest[2]).toStartWith(`client certificate: ${tls.clientCombinedPath}: `);
    expect(rest[3]).toBe(`trusted CAs: ${tls.caPath}`);
    const step = (pattern: RegExp) => rest.findIndex((line) => pattern.test(line));
    const retry = step(
      new RegExp(
        `^WARNING:debmonitor:GET https://127\\.0\\.0\\.1:${down}/auth-check: attempt 1 of \\d+ failed `,
      ),
    );
    const failed = step(new RegExp(`^server 127\\.0\\.0\\.1:${down}: FAILED: `));
    const ok = step(new RegExp(`^server 127\\.0\\.0\\.1:${server.port}: OK `));
    expect({ retry, failed, ok }).toEqual({
      retry: expect.any(Number),
      failed: expect.any(Number),
      ok: expect.any(Number),
    });
    expect(3 < retry && retry < failed && failed < ok).toBe(true);
    expect(ok).toBe(rest.length - 1);
  });
});
