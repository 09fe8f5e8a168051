/**
 * `systemd-analyze verify` on the shipped units (deploy/agent/, deploy/server/). It runs offline, without
 * systemd as PID 1, with `--root` on a folder that holds the units where an operator installs them,
 * stand-ins for the two binaries at the paths the units name (verify checks that ExecStart is
 * executable), and a copy of this machine's system units (the targets the units refer to).
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DEPLOY = resolve(import.meta.dir, '../../deploy');
const UNITS = {
  'debmonitor.service': 'agent/debmonitor.service',
  'debmonitor.timer': 'agent/debmonitor.timer',
  'debmonitor-server.service': 'server/debmonitor-server.service',
};
const BINARIES = ['/usr/local/bin/debmonitor', '/opt/debmonitor/debmonitor-server'];

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A root folder with `units` (name → text) installed in /etc/systemd/system. */
function makeRoot(name: string, units: Record<string, string>): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const binary of BINARIES) {
    mkdirSync(join(root, binary, '..'), { recursive: true });
    writeFileSync(join(root, binary), '#!/bin/sh\n', { mode: 0o755 });
  }
  for (const [unit, text] of Object.entries(units))
    writeFileSync(join(root, 'etc/systemd/system', unit), text);
  return root;
}

function verify(root: string): { exitCode: number; stderr: string } {
  const run = Bun.spawnSync(['systemd-analyze', 'verify', `--root=${root}`, ...Object.keys(UNITS)], {
    stderr: 'pipe',
    stdout: 'pipe',
  });
  return { exitCode: run.exitCode, stderr: run.stderr.toString() + run.stdout.toString() };
}

const shipped = Object.fromEntries(
  Object.entries(UNITS).map(([unit, path]) => [unit, readFileSync(join(DEPLOY, path), 'utf8')]),
);

describe('systemd-analyze verify', () => {
  test('finds nothing to say about the shipped units', () => {
    expect(verify(makeRoot('shipped', shipped))).toEqual({ exitCode: 0, stderr: '' });
  });

  test('would report a misspelt key and a bad calendar (the check can fail)', () => {
    const broken = {
      ...shipped,
      'debmonitor.service': `${shipped['debmonitor.service']}Nicee=10\n`,
      'debmonitor.timer': (shipped['debmonitor.timer'] ?? '').replace('OnCalendar=daily', 'OnCalendar=dayly'),
    };
    const result = verify(makeRoot('broken', broken));
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("Unknown key 'Nicee' in section [Service]");
    expect(result.stderr).toContain('Failed to parse calendar specification');
  });
});
