/**
 * Full and upgradable runs on this machine (a real Debian host) against the TLS stand-in: the payload must
 * list exactly what dpkg-query says is installed, with APT's pending upgrades.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostReport } from '../../../src/protocol/report.ts';
import { type ReportServer, startReportServer } from '../helpers/report-server.ts';
import { runAgentProcess } from '../helpers/run-agent-process.ts';
import { createTlsMaterial } from '../helpers/tls-material.ts';

const directory = mkdtempSync(join(tmpdir(), 'agent-full-'));
let server: ReportServer;
let config: string;

beforeAll(() => {
  const tls = createTlsMaterial(join(directory, 'tls'));
  server = startReportServer({ tls });
  config = join(directory, 'debmonitor.conf');
  writeFileSync(
    config,
    `[DEFAULT]\nserver=127.0.0.1\nport=${server.port}\nca=${tls.caPath}\nhostname=host1.example.org\nspool_dir=${join(directory, 'spool')}\n`,
  );
});
afterAll(async () => {
  await server.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** Installed packages per dpkg-query, named as APT names them (native and `all` bare, foreign `:arch`). */
function listInstalledWithDpkgQuery(): Map<string, string> {
  const native = Bun.spawnSync(['dpkg', '--print-architecture']).stdout.toString().trim();
  const output = Bun.spawnSync([
    'dpkg-query',
    '-W',
    '-f',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
    '${db:Status-Status}\t${Package}\t${Architecture}\t${Version}\n',
  ]).stdout.toString();
  const installed = new Map<string, string>();
  for (const line of output.trim().split('\n')) {
    const [state, name, architecture, version] = line.split('\t') as [string, string, string, string];
    if (state === 'not-installed' || state === 'config-files') continue;
    installed.set(
      architecture === native || architecture === 'all' ? name : `${name}:${architecture}`,
      version,
    );
  }
  return installed;
}

describe('a full run on this host', () => {
  let report: HostReport;
  beforeAll(async () => {
    const run = await runAgentProcess(['--config', config]);
    expect(run.stderr).toContain('Successfully sent the full update');
    expect(run.exitCode).toBe(0);
    report = server.requests.at(-1)!.json as HostReport;
  }, 60_000);

  test('54. posts to /hosts/<hostname>/update', () => {
    expect(server.requests.at(-1)!.path).toBe('/hosts/host1.example.org/update');
  });
  test('lists the same package names and versions as dpkg-query', () => {
    const sent = new Map(report.installed.map((item) => [item.name, item.version]));
    expect(sent).toEqual(listInstalledWithDpkgQuery());
  });
  test('sorts packages by name', () => {
    const names = report.installed.map((item) => item.name);
    expect(names).toEqual([...names].sort());
  });
  test('gives every package a source', () => {
    expect(report.installed.every((item) => typeof item.source === 'string' && item.source !== '')).toBe(
      true,
    );
  });
  test("gives every package dpkg-query's source version", () => {
    const output = Bun.spawnSync([
      'dpkg-query',
      '-W',
      '-f',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format, not a template
      '${db:Status-Status}\t${Package}\t${source:Version}\n',
    ]).stdout.toString();
    const expected = new Map<string, string>();
    for (const line of output.trim().split('\n')) {
      const [state, name, version] = line.split('\t') as [string, string, string];
      if (state !== 'not-installed' && state !== 'config-files') expected.set(name, version);
    }
    for (const item of report.installed)
      expect([item.name, item.source_version]).toEqual([
        item.name,
        expected.get(item.name.split(':')[0] ?? ''),
      ]);
  });
  test('48. 51. reads the OS from os-release: Debian 12', () => {
    expect(report.os).toBe('Debian 12');
  });
  test('52. reports the running kernel', async () => {
    const uname = (flag: string) => Bun.spawnSync(['uname', flag]).stdout.toString().trim();
    expect(report.running_kernel).toEqual({ release: uname('-r'), version: uname('-v') });
  });
  test('reports the boot time and the installed kernel images', async () => {
    const btime = /^btime (\d+)$/m.exec(await Bun.file('/proc/stat').text())?.[1];
    expect(report.reboot?.boot_time).toBe(Number(btime));
    expect(Array.isArray(report.reboot?.kernel_images)).toBe(true);
  });
  test('sends the legacy keys: full update, empty uninstalled, api v1, hostname override', () => {
    expect(report).toMatchObject({
      update_type: 'full',
      uninstalled: [],
      api_version: 'v1',
      hostname: 'host1.example.org',
    });
  });
  test('upgrades are installed packages with a different candidate and a type', () => {
    const installed = new Map(report.installed.map((item) => [item.name, item.version]));
    for (const item of report.upgradable) {
      expect(installed.get(item.name)).toBe(item.version_from);
      expect(item.version_to).not.toBe(item.version_from);
      expect(['security', '']).toContain(item.type!);
    }
  });
});

test('58. an upgradable run sends no installed packages', async () => {
  const run = await runAgentProcess(['--config', config, '-u']);
  expect(run.exitCode).toBe(0);
  const report = server.requests.at(-1)!.json as HostReport;
  expect(report.update_type).toBe('upgradable');
  expect(report.installed).toEqual([]);
  expect(Array.isArray(report.upgradable)).toBe(true);
}, 60_000);

test('56. 61. an image dry run prints the image payload without host fields', async () => {
  const requestsBefore = server.requests.length;
  const run = await runAgentProcess([
    '--config',
    config,
    '-n',
    '-i',
    'registry.example.com/component/image-name:1.2.3-1',
  ]);
  expect(run.exitCode).toBe(0);
  const payload = JSON.parse(run.stdout);
  expect(payload.image_name).toBe('registry.example.com/component/image-name:1.2.3-1');
  expect(payload).not.toHaveProperty('hostname');
  expect(payload).not.toHaveProperty('running_kernel');
  expect(payload.installed.length).toBeGreaterThan(0);
  expect(server.requests.length).toBe(requestsBefore);
}, 60_000);
