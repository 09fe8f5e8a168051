/**
 * From source without `npm run build` (README, "Quickstart"): the agent for this machine is built
 * into .cache/agents on first need, once, and the location says what to do for other architectures.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAgentFileName, getCurrentAgentArch } from '../../../src/lib/agent-arch.ts';
import { createMemoryLogger } from '../../../src/lib/logger.ts';
import { locateAgents } from '../../../src/web/agents/agents-dir.ts';
import { buildDevAgent, DEV_AGENTS_DIR } from '../../../src/web/agents/dev-agent-build.ts';

const emptyDist = mkdtempSync(join(tmpdir(), 'debmonitor-no-dist-'));
afterAll(() => rmSync(emptyDist, { recursive: true, force: true }));

test('with no agent in dist/agents, the native agent is built from source into .cache/agents, once', async () => {
  const log = createMemoryLogger();
  const first = await locateAgents(undefined, log, emptyDist);
  expect(first).toEqual({
    dir: DEV_AGENTS_DIR,
    hint: expect.stringContaining('run npm run build for the others'),
  });
  const binary = join(DEV_AGENTS_DIR, getAgentFileName(getCurrentAgentArch()));
  const version = Bun.spawnSync([binary, '--version']);
  expect({ code: version.exitCode, out: version.stdout.toString() }).toEqual({
    code: 0,
    out: expect.stringMatching(/^debmonitor \S+/),
  });
  const built = statSync(binary).mtimeMs;
  const logged = log.lines.length;
  expect(await locateAgents(undefined, log, emptyDist)).toEqual(first);
  expect(statSync(binary).mtimeMs).toBe(built);
  expect(log.lines.slice(logged)).toEqual([]);
}, 120_000);

test('an agent in dist/agents is served from there, with no build', async () => {
  const dist = mkdtempSync(join(emptyDist, 'dist-'));
  await Bun.write(join(dist, getAgentFileName(getCurrentAgentArch())), 'an agent');
  const log = createMemoryLogger();
  expect(await locateAgents(undefined, log, dist)).toEqual({
    dir: dist,
    hint: 'run npm run build to make every architecture',
  });
});

test('AGENTS_DIR wins and builds nothing', async () => {
  const log = createMemoryLogger();
  const location = await locateAgents(emptyDist, log, join(emptyDist, 'unused'));
  expect(location).toEqual({ dir: emptyDist, hint: 'put the agent builds there, or unset AGENTS_DIR' });
});

describe('buildDevAgent with a stand-in build script', () => {
  const fileName = getAgentFileName(getCurrentAgentArch());

  /** A repository with package.json, a source file and a scripts/build.ts of the given body. */
  function standInRepository(buildScript: string): string {
    const root = mkdtempSync(join(emptyDist, 'repo-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(join(root, 'src/agent.ts'), 'export {};\n');
    writeFileSync(join(root, 'scripts/build.ts'), buildScript);
    return root;
  }

  test('a failed build answers its last lines, logs them, leaves no scratch folder, and is tried again', async () => {
    const root = standInRepository(
      "console.error('step one');\nconsole.error('boom: no compiler');\nprocess.exit(3);\n",
    );
    const log = createMemoryLogger();
    const outcome = await buildDevAgent(log, root);
    expect(outcome).toEqual({ ok: false, error: 'step one boom: no compiler' });
    expect(log.lines.at(-1)).toContain(
      'Building the agent from source failed (exit 3): step one boom: no compiler',
    );
    expect(readdirSync(join(root, '.cache/agents'))).toEqual([]);
    const logged = log.lines.length;
    expect((await buildDevAgent(log, root)).ok).toBe(false);
    expect(log.lines.length).toBeGreaterThan(logged);
  });

  test('a build that succeeds is moved into .cache/agents with its .gz, and not run again', async () => {
    const root = standInRepository(
      [
        "import { mkdirSync, writeFileSync } from 'node:fs';",
        "const outdir = process.argv[process.argv.indexOf('--outdir') + 1];",
        "mkdirSync(outdir + '/agents', { recursive: true });",
        `writeFileSync(\`\${outdir}/agents/${fileName}\`, 'agent');`,
        `writeFileSync(\`\${outdir}/agents/${fileName}.gz\`, 'gzip');`,
        '',
      ].join('\n'),
    );
    const log = createMemoryLogger();
    expect(await buildDevAgent(log, root)).toEqual({ ok: true });
    expect(readdirSync(join(root, '.cache/agents')).sort()).toEqual([fileName, `${fileName}.gz`]);
    expect(log.lines.some((line) => line.includes('Built the agent from source in'))).toBe(true);
    const logged = log.lines.length;
    expect(await buildDevAgent(log, root)).toEqual({ ok: true });
    expect(log.lines.length).toBe(logged);
  });
});
