/** @jsxImportSource hono/jsx */
/**
 * `GET /agent/`: the agent builds on offer and the exact commands to install one on a host.
 * `POST /agent/enroll` (superusers): a one-use enrollment token valid for an hour, shown once in the
 * one-line command that downloads the agent, enrolls the host and sends its first report.
 */
import { resolve } from 'node:path';
import { type Context, Hono } from 'hono';
import aptHook from '../../../deploy/agent/apt-hook.conf' with { type: 'text' };
import cron from '../../../deploy/agent/debmonitor.cron' with { type: 'text' };
import service from '../../../deploy/agent/debmonitor.service' with { type: 'text' };
import timer from '../../../deploy/agent/debmonitor.timer' with { type: 'text' };
import { AGENT_ARCHES, getAgentFileName, getCurrentAgentArch } from '../../lib/agent-arch.ts';
import { createArgumentToken, sha256Hex } from '../../lib/tokens.ts';
import { fingerprintOf } from '../../pki/fingerprint.ts';
import { pkiPaths } from '../../pki/pki-files.ts';
import { createEnrollToken } from '../../store/pki/enroll-tokens.ts';
import { requireSignIn, requireSuperuser } from '../access/rules.tsx';
import { describeAgentBinary } from '../agents/agent-binary.ts';
import { locateAgents } from '../agents/agents-dir.ts';
import type { AppEnv } from '../env.ts';
import { publicOrigin } from '../http/request-origin.ts';
import { requireCheckedForm } from '../middleware/checked-form.ts';
import { type AgentDownload, AgentPage, type EnrollCommand } from '../views/agent-page.tsx';

/** How long a token made on the page lasts, and how many hosts it enrolls. */
const PAGE_TOKEN_MS = 3600_000;
const PAGE_TOKEN_USES = 1;

export const agentPageRoutes = new Hono<AppEnv>()
  .get('/agent', requireSignIn, (c) => c.redirect('/agent/', 301))
  .get('/agent/', requireSignIn, (c) => renderAgentPage(c))
  .post('/agent/enroll', requireSuperuser, requireCheckedForm('session'), async (c) => {
    const token = createArgumentToken(32);
    const expires = new Date(Date.now() + PAGE_TOKEN_MS);
    const id = await createEnrollToken(c.var.database, {
      tokenHash: sha256Hex(token),
      hostPattern: '*',
      uses: PAGE_TOKEN_USES,
      expires,
    });
    c.var.log.info(
      `Enrollment token #${id} (one host, until ${expires.toISOString()}) created on the agent page by ${JSON.stringify(c.var.user?.username)}`,
    );
    const response = await renderAgentPage(c, { token, expires });
    // The token is in this page: no cache keeps it.
    response.headers.set('Cache-Control', 'no-store');
    return response;
  });

async function renderAgentPage(c: Context<AppEnv>, created?: { token: string; expires: Date }) {
  const { dir, hint, buildError } = await locateAgents(c.var.config.AGENTS_DIR, c.var.log);
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
  const tlsPort = c.var.agentTlsPort?.() ?? c.var.config.TLS?.PORT;
  const agentServer = readAgentServer(serverUrl, tlsPort);
  const authority = await c.var.authority.get();
  const enroll: EnrollCommand = {
    available: authority !== null,
    canCreate: c.var.user?.isSuperuser === true,
    arch: getCurrentAgentArch(),
  };
  if (created && authority) {
    enroll.command = buildEnrollCommand({
      clientUrl: `${serverUrl}/client/${enroll.arch}`,
      agentServer,
      token: created.token,
      fingerprint: servesBuiltInCertificate(c, tlsPort) ? fingerprintOf(authority.certificate) : undefined,
    });
    enroll.expires = created.expires;
  }
  return c.html(
    <AgentPage
      serverUrl={serverUrl}
      agentServer={agentServer}
      agentsDir={dir}
      agentsHint={hint}
      buildError={buildError}
      downloads={downloads}
      missing={missing}
      enroll={enroll}
      files={{ aptHook, service, timer, cron }}
      user={c.var.user}
      csrfToken={c.var.csrfToken}
    />,
  );
}

/** The one line a host runs as root: download the agent, enroll, send the first full report. */
export function buildEnrollCommand(options: {
  clientUrl: string;
  agentServer: string;
  token: string;
  fingerprint?: string;
}): string {
  const pin = options.fingerprint ? ` --ca-fingerprint ${options.fingerprint}` : '';
  return (
    `curl -fsS --compressed -o debmonitor '${options.clientUrl}' && chmod 0755 debmonitor && ` +
    `./debmonitor --enroll --server '${options.agentServer}' --token ${options.token}${pin} && ./debmonitor`
  );
}

/**
 * Whether hosts meet the built-in CA's server certificate: the native TLS listener serves the one in
 * PKI_DIR (AUTO_TLS, or a TLS block naming it). Behind a proxy, or with a certificate of another CA,
 * pinning the built-in CA would make the agent refuse the server.
 */
function servesBuiltInCertificate(c: Context<AppEnv>, tlsPort: number | undefined): boolean {
  if (tlsPort === undefined) return false;
  const { config } = c.var;
  return config.autoTls || resolve(config.TLS?.CERT ?? '') === pkiPaths(config.pkiDir).serverCert;
}

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

/**
 * The agent's `server=`: the page's host with the native TLS listener's port, or, without one (a proxy
 * terminates TLS), the page's host and port (the agent's default port is 443).
 */
function readAgentServer(serverUrl: string, tlsPort: number | undefined): string {
  const url = new URL(serverUrl);
  if (tlsPort !== undefined) return `${url.hostname}:${tlsPort}`;
  return url.host;
}
