/**
 * From source without `npm run build` (README, "Quickstart"): the agent for this machine is built
 * into .cache/agents on first need, once, and the location says what to do for other architectures.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAgentFileName, getCurrentAgentArch } from '../../../src/lib/agent-arch.ts';
import { createMemoryLogger } from '../../../src/lib/logger.ts';
import { locateAgents } from '../../../src/web/agents/agents-dir.ts';
import { DEV_AGENTS_DIR } from '../../../src/web/agents/dev-agent-build.ts';

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
    out: expect.stringMatching(/^debmonitor-client \S+/),
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
