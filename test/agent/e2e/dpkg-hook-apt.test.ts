/**
 * The real thing: apt-get installs and removes a tiny .deb built here, with the agent set as the
 * DPkg::Pre-Install-Pkgs hook (protocol 3) through `-o` options only, so the machine's APT configuration
 * is untouched. The TLS stand-in server must receive the install, then the removal. The package is purged
 * in afterAll whatever happens.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostReport } from '../../../src/protocol/report.ts';
import { type ReportServer, startReportServer } from '../helpers/report-server.ts';
import { AGENT_ENTRY } from '../helpers/run-agent-process.ts';
import { createTlsMaterial } from '../helpers/tls-material.ts';

const PACKAGE = 'debmonitor-agent-e2e-dummy';
const SOURCE = 'debmonitor-agent-e2e-src';
const VERSION = '1.0-1';
const directory = mkdtempSync(join(tmpdir(), 'agent-apt-'));
let server: ReportServer;
let debPath: string;
let hookOptions: string[];

/** Runs a command and returns its exit code and output (async: the stand-in server lives in this process). */
async function run(argv: string[]): Promise<{ exitCode: number; output: string }> {
  const child = Bun.spawn(argv, {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, output: `${stdout}${stderr}` };
}

beforeAll(async () => {
  const tls = createTlsMaterial(join(directory, 'tls'));
  server = startReportServer({ tls });
  const config = join(directory, 'debmonitor.conf');
  writeFileSync(
    config,
    `[DEFAULT]\nserver=127.0.0.1\nport=${server.port}\nca=${tls.caPath}\nhostname=host1.example.org\nretries=0\nspool_dir=${join(directory, 'spool')}\n`,
  );
  const root = join(directory, 'pkg');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    `Package: ${PACKAGE}\nSource: ${SOURCE}\nVersion: ${VERSION}\nArchitecture: all\nMaintainer: DebMonitor tests <tests@example.org>\nDescription: empty package for the agent end-to-end test\n`,
  );
  debPath = join(directory, `${PACKAGE}_${VERSION}_all.deb`);
  const built = await run(['dpkg-deb', '--build', '--root-owner-group', root, debPath]);
  if (built.exitCode !== 0) throw new Error(built.output);
  // The version key names the hook command up to its first space: the bun executable.
  hookOptions = [
    '-o',
    `DPkg::Pre-Install-Pkgs::=${process.execPath} ${AGENT_ENTRY} -g --config ${config}`,
    '-o',
    `DPkg::Tools::Options::${process.execPath}::Version=3`,
  ];
});

afterAll(async () => {
  await run(['dpkg', '--purge', PACKAGE]);
  await server?.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** The dpkg_hook reports the server received. */
const hookReports = () =>
  server.requests
    .map((request) => request.json as HostReport)
    .filter((report) => report.update_type === 'dpkg_hook');

test('apt-get install of a local .deb reports the installed package, then apt-get remove its removal', async () => {
  const installed = await run(['apt-get', 'install', '-y', '-q', ...hookOptions, debPath]);
  expect(installed.exitCode, installed.output).toBe(0);
  expect(hookReports()).toHaveLength(1);
  expect(hookReports()[0]).toMatchObject({
    hostname: 'host1.example.org',
    installed: [{ name: PACKAGE, version: VERSION, source: SOURCE }],
    uninstalled: [],
    upgradable: [],
  });
  expect(server.requests[0]!.path).toBe('/hosts/host1.example.org/update');

  const removed = await run(['apt-get', 'remove', '-y', '-q', ...hookOptions, PACKAGE]);
  expect(removed.exitCode, removed.output).toBe(0);
  expect(hookReports()).toHaveLength(2);
  expect(hookReports()[1]).toMatchObject({
    installed: [],
    uninstalled: [{ name: PACKAGE, version: VERSION, source: SOURCE }],
  });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
  expect((await run(['dpkg-query', '-W', '-f', '${db:Status-Status}', PACKAGE])).output).not.toBe(
    'installed',
  );
}, 120_000);
