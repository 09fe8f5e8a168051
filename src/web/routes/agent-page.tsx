/** @jsxImportSource hono/jsx */
/** `GET /agent/`: the agent builds on offer and the exact commands to install one on a host. */
import { Hono } from 'hono';
import aptHook from '../../../deploy/agent/apt-hook.conf' with { type: 'text' };
import cron from '../../../deploy/agent/debmonitor.cron' with { type: 'text' };
import service from '../../../deploy/agent/debmonitor.service' with { type: 'text' };
import timer from '../../../deploy/agent/debmonitor.timer' with { type: 'text' };
import { AGENT_ARCHES, getAgentFileName } from '../../lib/agent-arch.ts';
import { requireSignIn } from '../access/rules.tsx';
import { describeAgentBinary } from '../agents/agent-binary.ts';
import { resolveAgentsDir } from '../agents/agents-dir.ts';
import type { AppEnv } from '../env.ts';
import { publicOrigin } from '../http/request-origin.ts';
import { type AgentDownload, AgentPage } from '../views/agent-page.tsx';

export const agentPageRoutes = new Hono<AppEnv>()
  .get('/agent', requireSignIn, (c) => c.redirect('/agent/', 301))
  .get('/agent/', requireSignIn, async (c) => {
    const dir = resolveAgentsDir(c.var.config.AGENTS_DIR);
    const serverUrl = readServerUrl(publicOrigin(c));
    const found = await Promise.all(
      AGENT_ARCHES.map(async (arch) => {
        const fileName = getAgentFileName(arch);
        const binary = await describeAgentBinary(`${dir}/${fileName}`);
        return { arch, fileName, binary };
      }),
    );
    const downloads: AgentDownload[] = found.flatMap(({ arch, fileName, binary }) =>
      binary ? [{ arch, fileName, url: `${serverUrl}/client/${arch}`, ...pickFacts(binary) }] : [],
    );
    const missing = found.filter((entry) => !entry.binary).map((entry) => entry.arch);
    return c.html(
      <AgentPage
        serverUrl={serverUrl}
        agentsDir={dir}
        downloads={downloads}
        missing={missing}
        files={{ aptHook, service, timer, cron }}
        user={c.var.user}
        csrfToken={c.var.csrfToken}
      />,
    );
  });

function pickFacts(binary: { version: string | null; bytes: number; sha256: string }) {
  return { version: binary.version, bytes: binary.bytes, sha256: binary.sha256 };
}

/**
 * The base URL hosts use: the origin the browser sees (X-Forwarded-* believed from trusted proxies
 * only), without a default port.
 */
function readServerUrl(origin: string): string {
  const url = new URL(origin);
  if ((url.protocol === 'https:' && url.port === '443') || (url.protocol === 'http:' && url.port === '80')) {
    url.port = '';
  }
  return url.origin;
}
