/**
 * End-to-end runs of the agent process against a TLS stand-in of the server on 127.0.0.1: wire protocol,
 * retries, error hints, several servers, the spool and mutual TLS. Image payloads (`-f -`) keep these runs
 * fast; full collection is covered in full-run.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReportServer, startReportServer } from '../helpers/report-server.ts';
import { runAgentProcess } from '../helpers/run-agent-process.ts';
import { createTlsMaterial, type TlsMaterial } from '../helpers/tls-material.ts';

const IMAGE = 'registry.example.com/component/image-name:1.2.3-1';
const directory = mkdtempSync(join(tmpdir(), 'agent-e2e-'));
let tls: TlsMaterial;
const servers: ReportServer[] = [];

beforeAll(() => {
  tls = createTlsMaterial(join(directory, 'tls'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Starts a stand-in server that is stopped after the test. */
function serve(options: Omit<Parameters<typeof startReportServer>[0], 'tls'> = {}): ReportServer {
  const server = startReportServer({ tls, ...options });
  servers.push(server);
  return server;
}

/** A port nothing listens on: bound by a server that is stopped at once. */
async function closedPort(): Promise<number> {
  const server = startReportServer({ tls });
  await server.stop();
  return server.port;
}

/** An image payload as docker-report produces it with `-n -i`. */
function imagePayload(imageName = IMAGE) {
  return {
    api_version: 'v1',
    os: 'Debian 12',
    installed: [{ name: 'bash', version: '5.2.15-2+b8', source: 'bash' }],
    uninstalled: [],
    upgradable: [],
    update_type: 'full',
    image_name: imageName,
  };
}

let spoolCounter = 0;
/** A fresh spool directory for one test. */
function newSpoolDir(): string {
  return join(directory, `spool-${spoolCounter++}`);
}

/** Sends an image payload through `-f -` to the given ports; extra args go last. */
function sendImage(
  ports: number[],
  spoolDir: string,
  extra: string[] = [],
  payload: unknown = imagePayload(),
) {
  return runAgentProcess(
    [
      '--config',
      '/dev/null',
      '-s',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--ca',
      tls.caPath,
      '-f',
      '-',
      ...extra,
    ],
    { stdin: JSON.stringify(payload), env: { DEBMONITOR_SPOOL_DIR: spoolDir } },
  );
}

/** Lists the spooled report files of all servers. */
function listSpooled(spoolDir: string): string[] {
  try {
    return readdirSync(spoolDir, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.json'),
    );
  } catch {
    return [];
  }
}

describe('sending a report', () => {
  test('57. -f - posts the stdin document unchanged to the image endpoint', async () => {
    const server = serve();
    const run = await sendImage([server.port], newSpoolDir());
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.method).toBe('POST');
    expect(server.requests[0]!.path).toBe(`/images/${IMAGE}/update`);
    expect(server.requests[0]!.json).toEqual(imagePayload());
    expect(run.stderr).toContain(
      'INFO:debmonitor:Successfully sent the full update to the DebMonitor server(s)',
    );
  });

  test('67. the request carries the JSON content type and the legacy User-Agent format', async () => {
    const server = serve();
    await sendImage([server.port], newSpoolDir());
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
    expect(server.requests[0]!.headers['user-agent']).toMatch(
      /^debmonitor-client\/\S+ \+https:\/\/wikitech\.wikimedia\.org\/wiki\/Debmonitor$/,
    );
  });

  test('68. a 503 is retried and the following 201 succeeds', async () => {
    const server = serve({
      respond: (_request, index) => new Response('busy', { status: index === 0 ? 503 : 201 }),
    });
    const run = await sendImage([server.port], newSpoolDir(), ['--retry-backoff', '0']);
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  test('68. retries stop after --retries and the run fails', async () => {
    const server = serve({ respond: () => new Response('down', { status: 502 }) });
    const run = await sendImage([server.port], newSpoolDir(), ['--retries', '2', '--retry-backoff', '0']);
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(3);
  });

  test('each failed attempt is a WARNING line (without -d) with the reason and when the next one starts', async () => {
    const down = await closedPort();
    const started = Date.now();
    const run = await sendImage([down], newSpoolDir(), ['--retries', '2', '--retry-backoff', '1']);
    expect(run.exitCode).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const url = `POST https://127.0.0.1:${down}/images/${IMAGE}/update`;
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('WARNING:debmonitor:POST'));
    const clock = '\\d\\d:\\d\\d:\\d\\d';
    const escaped = url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^WARNING:debmonitor:${escaped}: attempt 1 of 3 failed \\(.+\\); next attempt in 0s, at ${clock}$`,
      ),
    );
    expect(warnings[1]).toMatch(
      new RegExp(
        `^WARNING:debmonitor:${escaped}: attempt 2 of 3 failed \\(.+\\); next attempt in 2s, at ${clock}$`,
      ),
    );
    expect(warnings[2]).toMatch(
      new RegExp(`^WARNING:debmonitor:${escaped}: attempt 3 of 3 failed \\(.+\\); no attempt left$`),
    );
  });

  test('63. 69. a 400 is not retried, fails with the server message and an OS hint', async () => {
    const server = serve({ respond: () => new Response("OS name 'unknown' is not valid", { status: 400 }) });
    const run = await sendImage([server.port], newSpoolDir(), ['--retry-backoff', '0']);
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(run.stderr).toContain('Failed to send the update to the DebMonitor server');
    expect(run.stderr).toContain("400 OS name 'unknown' is not valid");
    expect(run.stderr).toContain('set os= in the [DEFAULT] section');
  });

  test('a 403 explains the certificate CN and the proxy list', async () => {
    const server = serve({ respond: () => new Response('Unauthorized to modify image', { status: 403 }) });
    const run = await sendImage([server.port], newSpoolDir());
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("listed in the server's PROXY_IMAGES");
  });

  test('65. 200 is not success', async () => {
    const server = serve({ respond: () => new Response('', { status: 200 }) });
    expect((await sendImage([server.port], newSpoolDir())).exitCode).toBe(1);
  });

  test('66. a redirect is not followed and its target is shown', async () => {
    const server = serve({
      respond: () => new Response('', { status: 302, headers: { location: 'https://login.example.org/' } }),
    });
    const run = await sendImage([server.port], newSpoolDir());
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(run.stderr).toContain('redirected to https://login.example.org/');
  });

  test('71. a failing first server does not stop the second; the run exits 1', async () => {
    const server = serve();
    const run = await sendImage([await closedPort(), server.port], newSpoolDir(), ['--retries', '0']);
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(run.stderr).toContain('reached 1 of 2 server(s)');
  });

  test('74. a -f payload without image_name fails before any request', async () => {
    const server = serve();
    const run = await sendImage([server.port], newSpoolDir(), [], { key: 'value' });
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(0);
    expect(run.stderr).toContain('has no image_name');
  });

  test('the server is verified: without the test CA the TLS handshake fails', async () => {
    const server = serve();
    const run = await runAgentProcess(
      ['--config', '/dev/null', '-s', `127.0.0.1:${server.port}`, '-f', '-', '--retries', '0'],
      {
        stdin: JSON.stringify(imagePayload()),
        env: { DEBMONITOR_SPOOL_DIR: newSpoolDir() },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the spool', () => {
  test('a report that cannot be delivered is spooled, and sent first by the next run', async () => {
    const spoolDir = newSpoolDir();
    const port = await closedPort();
    const failed = await sendImage(
      [port],
      spoolDir,
      ['--retries', '0'],
      imagePayload('registry.example.com/a:1'),
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('Spooled the full update');
    expect(listSpooled(spoolDir)).toHaveLength(1);

    const server = serve({ port });
    const run = await sendImage([port], spoolDir, [], imagePayload('registry.example.com/b:1'));
    expect(run.exitCode).toBe(0);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/images/registry.example.com/a:1/update',
      '/images/registry.example.com/b:1/update',
    ]);
    expect(listSpooled(spoolDir)).toEqual([]);
  });

  test('a newer full report replaces the spooled one for the same image', async () => {
    const spoolDir = newSpoolDir();
    const port = await closedPort();
    await sendImage([port], spoolDir, ['--retries', '0']);
    expect(listSpooled(spoolDir)).toHaveLength(1);
    const server = serve({ port });
    expect((await sendImage([port], spoolDir)).exitCode).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(listSpooled(spoolDir)).toEqual([]);
  });

  test('a report the server refuses (400) is not spooled', async () => {
    const spoolDir = newSpoolDir();
    const server = serve({ respond: () => new Response('bad', { status: 400 }) });
    await sendImage([server.port], spoolDir);
    expect(listSpooled(spoolDir)).toEqual([]);
  });

  test('each server keeps its own spool', async () => {
    const spoolDir = newSpoolDir();
    const server = serve();
    await sendImage([await closedPort(), server.port], spoolDir, ['--retries', '0']);
    expect(readdirSync(spoolDir).filter((name) => name !== 'lock')).toHaveLength(1);
  });
});

describe('mutual TLS (55)', () => {
  test('-c with -k presents the certificate with its separate key', async () => {
    const server = serve({ requireClientCert: true });
    const run = await sendImage([server.port], newSpoolDir(), [
      '-c',
      tls.clientCertPath,
      '-k',
      tls.clientKeyPath,
    ]);
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  test('-c alone reads certificate and key from one PEM', async () => {
    const server = serve({ requireClientCert: true });
    const run = await sendImage([server.port], newSpoolDir(), ['-c', tls.clientCombinedPath]);
    expect(run.exitCode).toBe(0);
  });

  test('without a client certificate the server refuses the handshake', async () => {
    const server = serve({ requireClientCert: true });
    const run = await sendImage([server.port], newSpoolDir(), ['--retries', '0']);
    expect(run.exitCode).toBe(1);
    expect(server.requests).toHaveLength(0);
  });

  test('a missing certificate file is a runtime error naming the file', async () => {
    const server = serve();
    const run = await sendImage([server.port], newSpoolDir(), ['-c', join(directory, 'missing.pem')]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`Unable to read the client certificate ${join(directory, 'missing.pem')}`);
  });

  test('-c alone without a key in the file asks for -k', async () => {
    const server = serve();
    const run = await sendImage([server.port], newSpoolDir(), ['-c', tls.clientCertPath]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('pass the key file with -k/--key');
  });
});

describe('dpkg hook mode without apt', () => {
  const feed = (name: string) => Bun.file(join(import.meta.dir, '..', 'fixtures', 'debian12', name)).text();

  test('64. a v3 feed on stdin is sent as a dpkg_hook update with host fields', async () => {
    const server = serve();
    const run = await runAgentProcess(
      ['--config', '/dev/null', '-s', `127.0.0.1:${server.port}`, '--ca', tls.caPath, '-g'],
      { stdin: await feed('dpkg-hook-v3-remove.txt'), env: { DEBMONITOR_SPOOL_DIR: newSpoolDir() } },
    );
    expect(run.exitCode).toBe(0);
    const payload = server.requests[0]!.json as Record<string, unknown>;
    expect(payload).toMatchObject({
      update_type: 'dpkg_hook',
      installed: [],
      upgradable: [],
      uninstalled: [
        { name: 'debmonitor-fixture-dummy', version: '1.0-1', source: 'debmonitor-fixture-dummy' },
      ],
    });
    expect(typeof payload.hostname).toBe('string');
    expect(payload.running_kernel).toHaveProperty('version');
    expect(run.stderr).toContain('Got 1 updates from dpkg hook version 3');
  });

  test('21. the feed is read from APT_HOOK_INFO_FD when set', async () => {
    const server = serve();
    const feedPath = join(directory, 'feed-v2.txt');
    writeFileSync(feedPath, await feed('dpkg-hook-v2-remove.txt'));
    const command = `exec 3<"$FEED"; APT_HOOK_INFO_FD=3 "$BUN" "$AGENT" --config /dev/null -s 127.0.0.1:$PORT --ca "$CA" -g </dev/null`;
    const child = Bun.spawn(['sh', '-c', command], {
      env: {
        ...process.env,
        FEED: feedPath,
        BUN: process.execPath,
        AGENT: join(import.meta.dir, '..', '..', '..', 'src', 'agent.ts'),
        PORT: String(server.port),
        CA: tls.caPath,
        DEBMONITOR_SPOOL_DIR: newSpoolDir(),
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    expect(await child.exited).toBe(0);
    expect((server.requests[0]!.json as { uninstalled: unknown[] }).uninstalled).toHaveLength(1);
  });

  test('32. a feed without actions sends nothing and exits 0', async () => {
    const server = serve();
    const run = await runAgentProcess(
      ['--config', '/dev/null', '-s', `127.0.0.1:${server.port}`, '--ca', tls.caPath, '-g'],
      {
        stdin: 'VERSION 3\nAPT::Architecture=amd64\n\n',
        env: { DEBMONITOR_SPOOL_DIR: newSpoolDir() },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  test('75. -g with no server configured exits 0 quietly', async () => {
    const run = await runAgentProcess(['--config', '/dev/null', '-g'], {
      stdin: await feed('dpkg-hook-v3-remove.txt'),
    });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, '', '']);
  });

  test('a misspelt key is the first line of a hook run, even one that then ends quietly', async () => {
    const config = join(directory, 'misspelt.conf');
    writeFileSync(config, '[DEFAULT]\nsever=debmonitor.example.org\n');
    const run = await runAgentProcess(['--config', config, '-g'], {
      stdin: await feed('dpkg-hook-v3-remove.txt'),
    });
    expect([run.exitCode, run.stderr]).toEqual([
      0,
      `WARNING:debmonitor:Ignoring unknown key(s) in ${config}: sever (did you mean server?)\n`,
    ]);
  });

  test('a malformed feed exits 1 with the parser message', async () => {
    const run = await runAgentProcess(['--config', '/dev/null', '-s', '127.0.0.1', '-g'], {
      stdin: 'VER 1\n',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'Failed to execute DebMonitor CLI: Expected VERSION line to be the first one',
    );
  });
});

const PACKAGE_VERSION = (await Bun.file(join(import.meta.dir, '../../../package.json')).json()).version;

describe('the command line', () => {
  test('6. --version prints the program name and, from source, the version of package.json', async () => {
    const run = await runAgentProcess(['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`debmonitor ${PACKAGE_VERSION}\n`);
  });

  test('a usage error prints the usage line and the error on stderr, exit 2', async () => {
    const run = await runAgentProcess(['--config', '/dev/null']);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^usage: debmonitor /);
    expect(run.stderr).toContain(
      'debmonitor: error: argument -s/--server is required unless -n/--dry-run is set',
    );
  });

  test('62. -n prints one JSON document, keys sorted, 4-space indent', async () => {
    const run = await runAgentProcess(['--config', '/dev/null', '-n', '-f', '-'], {
      stdin: '{"b": 1, "a": {"d": [1], "c": 2}}',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      '{\n    "a": {\n        "c": 2,\n        "d": [\n            1\n        ]\n    },\n    "b": 1\n}\n',
    );
  });

  test('--help prints the options under the name the binary is installed as, and exits 0', async () => {
    const run = await runAgentProcess(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('--dpkg-hook');
    expect(run.stdout).toContain(`(debmonitor v${PACKAGE_VERSION})`);
    expect(run.stdout).not.toContain('debmonitor-client');
    // --force-version says where the server keeps the versions it can pick.
    expect(run.stdout).toContain('a build kept in AGENTS_DIR/VERSION/');
  });

  test('--check prints the identity and the /auth-check result of each server', async () => {
    const server = serve({ respond: () => new Response('OK', { status: 200 }) });
    const config = join(directory, 'check.conf');
    writeFileSync(config, '[DEFAULT]\nhostname=host1.example.org\nos=Debian 12\n');
    const run = await runAgentProcess([
      '--config',
      config,
      '--check',
      '-s',
      `127.0.0.1:${server.port}`,
      '--ca',
      tls.caPath,
      '-c',
      tls.clientCombinedPath,
    ]);
    expect(run.exitCode).toBe(0);
    // One item a line, in order.
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`hostname: host1.example.org (hostname= in ${config})`);
    expect(lines[1]).toBe(`os: Debian 12 (os= in ${config})`);
    expect(lines[2]).toStartWith(`client certificate: ${tls.clientCombinedPath}: `);
    expect(lines[2]).toContain('CN=host1.example.org');
    expect(lines[3]).toBe(`trusted CAs: ${tls.caPath}`);
    expect(lines[4]).toStartWith(`server 127.0.0.1:${server.port}: OK`);
    expect(lines[5]).toBe('');
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /auth-check',
    ]);
  });
});
