/**
 * The agent's install recipe is one: README.md, docs/agent.md and deploy/agent/ name the same binary,
 * units and timer, and the APT hook file asks for feed version 3 under the exact command of its
 * Pre-Install-Pkgs line, as APT itself reads the file (`apt-config`).
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dir, '../..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const README = read('README.md');
const AGENT_DOC = read('docs/agent.md');
const HOOK_FILE = read('deploy/agent/apt-hook.conf');
const BINARY = '/usr/local/bin/debmonitor';

const temp = mkdtempSync(join(tmpdir(), 'debmonitor-recipe-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `key "value";` lines of `apt-config dump` after reading `text` as an APT configuration file. */
function aptDump(text: string): string[] {
  const file = join(temp, `hook-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, text);
  const run = Bun.spawnSync(['apt-config', '-c', file, 'dump'], { stderr: 'pipe' });
  expect({ exitCode: run.exitCode, stderr: run.stderr.toString() }).toEqual({ exitCode: 0, stderr: '' });
  return run.stdout.toString().split('\n');
}

/**
 * The feed version APT gives each Pre-Install-Pkgs hook of `text`: as APT's dpkg runner does, the
 * key is `DPkg::Tools::Options::<the hook line up to its first space>::Version`, 1 when unset.
 */
function hookVersions(text: string): Map<string, number> {
  const lines = aptDump(text);
  const values = (prefix: string) =>
    lines
      .filter((line) => line.toLowerCase().startsWith(prefix.toLowerCase()))
      .map((line) => ({ key: line.slice(0, line.indexOf(' ')), value: /"(.*)";$/.exec(line)?.[1] ?? '' }));
  const versions = new Map<string, number>();
  for (const { value: command } of values('DPkg::Pre-Install-Pkgs:: ')) {
    if (!command.includes('debmonitor')) continue;
    const program = command.split(' ')[0] ?? '';
    const key = `DPkg::Tools::Options::${program}::Version`.toLowerCase();
    const version = values(`${key} `).find((entry) => entry.key.toLowerCase() === key)?.value;
    versions.set(command, version === undefined ? 1 : Number(version));
  }
  return versions;
}

/** The fenced blocks of a markdown text that contain `needle`. */
function blocksWith(markdown: string, needle: string): string[] {
  return [...markdown.matchAll(/^ *```[a-z]*\n([\s\S]*?)^ *```/gm)]
    .map((match) => match[1] ?? '')
    .filter((block) => block.includes(needle));
}

/** The lines of a configuration file that are not comments or blank. */
const settingLines = (text: string) =>
  text.split('\n').filter((line) => line.trim() && !/^\s*(#|\/\/)/.test(line));

describe('the APT hook file, as APT reads it', () => {
  test(`deploy/agent/apt-hook.conf gives ${BINARY} -g feed version 3`, () => {
    expect(Object.fromEntries(hookVersions(HOOK_FILE))).toEqual({ [`${BINARY} -g || true`]: 3 });
  });

  test('docs/agent.md shows exactly the shipped file, so it gets version 3 too', () => {
    const blocks = blocksWith(AGENT_DOC, 'Pre-Install-Pkgs');
    expect(blocks).toHaveLength(1);
    expect(settingLines(blocks[0] ?? '')).toEqual(settingLines(HOOK_FILE));
    expect(Object.fromEntries(hookVersions(blocks[0] ?? ''))).toEqual({ [`${BINARY} -g || true`]: 3 });
  });

  test('the check itself sees a Version key for another path as protocol 1', () => {
    const mixed = [
      'DPkg::Pre-Install-Pkgs {"/usr/bin/debmonitor-client-unpriv -g || true";};',
      `DPkg::Tools::Options::${BINARY}::Version "3";`,
    ].join('\n');
    expect(Object.fromEntries(hookVersions(mixed))).toEqual({
      '/usr/bin/debmonitor-client-unpriv -g || true': 1,
    });
  });

  test('the README names the Version key of the shipped file', () => {
    expect(README).toContain(`\`DPkg::Tools::Options::${BINARY}::Version "3"\``);
    expect(HOOK_FILE).toContain(`DPkg::Tools::Options::${BINARY}::Version "3";`);
  });
});

describe('README.md, docs/agent.md and deploy/agent/ give one recipe', () => {
  test('the only agent path either document runs is the one the units run', () => {
    const service = read('deploy/agent/debmonitor.service');
    expect(service).toContain(`ExecStart=${BINARY} --update\n`);
    expect(read('deploy/agent/debmonitor.cron')).toContain(` ${BINARY} --update `);
    for (const [name, text] of [
      ['README.md', README],
      ['docs/agent.md', AGENT_DOC],
    ] as const) {
      const paths = new Set(
        [...text.matchAll(/\/usr\/(?:local\/)?s?bin\/debmonitor[\w-]*/g)].map((m) => m[0]),
      );
      // The legacy wrapper appears only as a file to remove.
      paths.delete('/usr/bin/debmonitor-client-unpriv');
      expect({ name, paths: [...paths] }).toEqual({ name, paths: [BINARY] });
    }
    expect(AGENT_DOC).toContain(`-o ${BINARY} https://`);
    expect(README).toContain(`-o ${BINARY} https://`);
  });

  test('the legacy wrapper is named only as something to remove', () => {
    const mentions = AGENT_DOC.split('\n\n').filter((paragraph) => paragraph.includes('-unpriv'));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toContain('apt purge debmonitor-client');
    expect(README).not.toContain('-unpriv');
  });

  test('both name the shipped units and their random delay', () => {
    const timer = read('deploy/agent/debmonitor.timer');
    const delay = /^RandomizedDelaySec=(\d+)h$/m.exec(timer)?.[1];
    expect(delay).toBe('6');
    for (const text of [README, AGENT_DOC]) {
      expect(text).toContain('systemctl enable --now debmonitor.timer');
      expect(text).toContain('cp deploy/agent/debmonitor.{service,timer} /etc/systemd/system/');
      expect(text).toContain('cp deploy/agent/apt-hook.conf /etc/apt/apt.conf.d/10debmonitor');
      expect(text).not.toContain('debmonitor-client.timer');
      expect(text).not.toMatch(/RandomizedDelaySec=(?!6h)/);
    }
    expect(AGENT_DOC).toContain('RandomizedDelaySec=6h');
  });
});
