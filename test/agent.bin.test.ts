/**
 * The real agent (src/agent.ts), compiled for this machine and run from an empty directory, reports
 * this machine to the compiled server over HTTPS. Needs the agent and the ingest API in the tree.
 * Also: a run removes what killed self-updates left beside the binary, and a closed stdout ends a
 * run quietly.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ENTRY, SERVER_ENTRY } from '../scripts/build.ts';
import { buildTestBinary, runProgram } from './helpers/binaries.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';
import {
  createTestCertificates,
  startTlsFront,
  type TestCertificates,
  type TlsFront,
} from './helpers/tls-front.ts';

// A full run collects this machine's packages: 15 s on a loaded 2-CPU machine, against 5 s by default
// (and a timed-out test has its server killed, failing the tests after it).
setDefaultTimeout(60_000);

const root = mkdtempSync(join(tmpdir(), 'debmonitor-agent-bin-'));
const serverBinary = join(root, 'dist', 'debmonitor-server');
const agentBinary = join(root, 'dist', 'agents', 'debmonitor');
const serverRun = join(root, 'server-run');
let certificates: TestCertificates;
let server: ServerProcess;
let front: TlsFront;

beforeAll(async () => {
  if (!existsSync(AGENT_ENTRY))
    throw new Error('src/agent.ts is missing: this test needs the agent (issue 4) merged');
  // The builds of test/scripts/build.bin.test.ts (compiled once per source tree).
  await buildTestBinary({ entry: SERVER_ENTRY, outfile: serverBinary, version: '1.0.1' });
  await buildTestBinary({ entry: AGENT_ENTRY, outfile: agentBinary, version: '1.0.1' });
  for (const dir of ['tls', 'etc', 'server-run', 'agent-run']) mkdirSync(join(root, dir));
  certificates = createTestCertificates(join(root, 'tls'));
  const configPath = join(root, 'etc', 'config.json');
  writeFileSync(configPath, JSON.stringify({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false }));
  server = await startServerProcess({
    command: [serverBinary],
    cwd: serverRun,
    args: ['--config', configPath],
  });
  front = await startTlsFront({ certificates, target: server.url });
}, 120_000);

afterAll(async () => {
  await front?.stop();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('the agent binary reports this machine to the server binary', async () => {
  const run = await runProgram(
    [
      agentBinary,
      '--config',
      '/dev/null',
      '-s',
      'localhost',
      '-p',
      String(front.port),
      '--ca',
      certificates.caPath,
    ],
    { cwd: join(root, 'agent-run') },
  );
  expect(`exit ${run.exitCode}: ${run.stderr}`).toStartWith('exit 0');
  const report = front.seen.find((request) => request.method === 'POST');
  const name = decodeURIComponent(/^\/hosts\/([^/]+)\/update$/.exec(report?.path ?? '')?.[1] ?? '');
  expect(name).not.toBe('');
  const database = new Database(join(serverRun, 'debmonitor.sqlite'), { readonly: true });
  try {
    const host = database.query<{ id: number; name: string }, []>('SELECT id, name FROM hosts').all();
    expect(host.map((row) => row.name)).toEqual([name]);
    const packages = database
      .query<{ n: number }, [number]>('SELECT count(*) AS n FROM host_packages WHERE host_id = ?')
      .get(host[0]!.id);
    expect(packages?.n ?? 0).toBeGreaterThan(0);
  } finally {
    database.close();
  }
});

/** An image payload to send or print: quick, where a full report collects this machine's packages. */
function writeImagePayload(dir: string): string {
  const path = join(dir, 'image.json');
  const payload = {
    api_version: 'v1',
    os: 'Debian 12',
    installed: [{ name: 'bash', version: '5.2.15-2+b8', source: 'bash' }],
    uninstalled: [],
    upgradable: [],
    update_type: 'full',
    image_name: 'registry.example.com/bin-test:1',
  };
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

test('a run removes the files of killed self-updates beside the binary, and only those', async () => {
  const home = mkdtempSync(join(root, 'host-'));
  const installed = join(home, 'debmonitor');
  copyFileSync(agentBinary, installed);
  // Above Linux's highest pid (2^22): a process that is gone.
  const killed = '.debmonitor.update-4194305-0a0a0a0a';
  const reused = `.debmonitor.update-${process.pid}-1b1b1b1b`;
  // This test's own process stands for an update running in another agent (cron and an apt hook).
  const running = `.debmonitor.update-${process.pid}-2c2c2c2c`;
  const justStarted = '.debmonitor.update-4194305-3d3d3d3d';
  for (const [name, idleMinutes] of [
    [killed, 10],
    [reused, 2 * 24 * 60],
    [running, 0],
    [justStarted, 0],
  ] as const) {
    writeFileSync(join(home, name), 'partial download');
    const when = Date.now() / 1000 - idleMinutes * 60;
    utimesSync(join(home, name), when, when);
  }
  const run = await runProgram(
    [
      installed,
      '--config',
      '/dev/null',
      '-s',
      'localhost',
      '-p',
      String(front.port),
      '--ca',
      certificates.caPath,
      '-f',
      writeImagePayload(home),
    ],
    { cwd: home },
  );
  expect(`exit ${run.exitCode}: ${run.stderr}`).toStartWith('exit 0');
  expect(run.stderr).toContain(
    `INFO:debmonitor:Removed ${join(home, killed)}, left by an interrupted self-update`,
  );
  expect(readdirSync(home).sort()).toEqual(['debmonitor', 'image.json', justStarted, running].sort());
});

test('the agent binary ends quietly with 141 when stdout is closed before it prints', async () => {
  const payload = writeImagePayload(mkdtempSync(join(root, 'dry-run-')));
  for (const args of [['-n', '--config', '/dev/null', '-f', payload], ['--version'], ['--help']]) {
    const child = Bun.spawn([agentBinary, ...args], { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    await child.stdout.cancel();
    const [stderr, exitCode] = await Promise.all([new Response(child.stderr).text(), child.exited]);
    expect({ args, exitCode, stderr }).toEqual({ args, exitCode: 141, stderr: '' });
  }
});
