/**
 * `GET|HEAD /client` and `/client/<arch>` (or `?arch=`): the agent binary for an architecture, for
 * downloads and self-update (docs/protocol.md, "Agent downloads"). Headers:
 * X-Debmonitor-Client-Version, X-Debmonitor-Client-Checksum (SHA-256 hex of the binary, whatever the
 * transfer encoding), ETag; gzip when the client accepts it. `?version=X` asks for that version (kept
 * in AGENTS_DIR/X/ when it is not the current one). Exempt from sign-in and from the
 * client-certificate check: the binary holds no secret, and a new host fetches it before it is set up.
 */
import { type Context, Hono } from 'hono';
import { acceptsEncoding } from '../../lib/accept-encoding.ts';
import {
  AGENT_ARCHES,
  DEFAULT_AGENT_ARCH,
  getAgentFileName,
  getCurrentAgentArch,
  isAgentArch,
} from '../../lib/agent-arch.ts';
import { CLIENT_CHECKSUM_HEADER, CLIENT_VERSION_HEADER } from '../../protocol/client-download.ts';
import { allowAnyone } from '../access/rules.tsx';
import { type AgentBinary, describeAgentBinary } from '../agents/agent-binary.ts';
import { getGzippedAgent } from '../agents/agent-gzip.ts';
import { locateAgents } from '../agents/agents-dir.ts';
import type { AppEnv } from '../env.ts';

/** A version a `?version=` may ask for: one path segment, never `.` or `..`. */
const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;

/**
 * The binary to serve: the current one (`AGENTS_DIR/<file>`), or with `?version=X` the build of
 * version X, which is the current one or `AGENTS_DIR/X/<file>` (older builds kept for
 * `--force-version`); a Response when there is none.
 */
async function findAgent(
  c: Context<AppEnv>,
  dir: string,
  arch: string,
  fileName: string,
  /** What to do when there is none, from locateAgents. */
  hint: string,
): Promise<AgentBinary | Response> {
  const wanted = c.req.query('version');
  const current = await describeAgentBinary(`${dir}/${fileName}`);
  if (wanted === undefined) {
    return current ?? c.text(`No agent for ${arch}: ${dir}/${fileName} does not exist (${hint})`, 404);
  }
  if (!VERSION_PATTERN.test(wanted)) return c.text(`Invalid agent version '${wanted}'`, 400);
  if (current?.version === wanted) return current;
  const path = `${dir}/${wanted}/${fileName}`;
  const kept = await describeAgentBinary(path);
  if (!kept) return c.text(`No agent ${wanted} for ${arch}: ${path} does not exist`, 404);
  if (kept.version !== wanted) {
    return c.text(`No agent ${wanted} for ${arch}: ${path} is version ${kept.version ?? 'unknown'}`, 404);
  }
  return kept;
}

async function serveAgent(c: Context<AppEnv>): Promise<Response> {
  const arch = c.req.param('arch') ?? c.req.query('arch') ?? DEFAULT_AGENT_ARCH;
  if (!isAgentArch(arch)) {
    return c.text(`Unknown architecture '${arch}'; use one of ${AGENT_ARCHES.join(', ')}`, 400);
  }
  const { dir, hint, buildError } = await locateAgents(c.var.config.AGENTS_DIR, c.var.log);
  const fileName = getAgentFileName(arch);
  if (buildError && arch === getCurrentAgentArch() && !(await describeAgentBinary(`${dir}/${fileName}`))) {
    return c.text(
      `No agent for ${arch}: building it from source failed (${buildError}); run npm run build`,
      503,
    );
  }
  const binary = await findAgent(c, dir, arch, fileName, hint);
  if (binary instanceof Response) return binary;
  const path = binary.path;
  const gzipped = acceptsEncoding(c.req.header('accept-encoding'), 'gzip');
  const etag = `"${binary.sha256}${gzipped ? '-gzip' : ''}"`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-cache',
    Vary: 'Accept-Encoding',
    ETag: etag,
    [CLIENT_VERSION_HEADER]: binary.version ?? '',
    [CLIENT_CHECKSUM_HEADER]: binary.sha256,
  };
  if (
    c.req
      .header('if-none-match')
      ?.split(/\s*,\s*/)
      .includes(etag)
  ) {
    return new Response(null, { status: 304, headers });
  }
  // HEAD answers from the cached facts alone: an agent's "anything new?" check stays cheap.
  if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
  if (gzipped) {
    const body = await getGzippedAgent(binary);
    if (body) {
      headers['Content-Encoding'] = 'gzip';
      return new Response(body.kind === 'file' ? Bun.file(body.path) : body.data, { status: 200, headers });
    }
  }
  return new Response(Bun.file(path), { status: 200, headers });
}

export const clientRoutes = new Hono<AppEnv>()
  .on(['GET', 'HEAD'], ['/client', '/client/:arch'], allowAnyone, serveAgent)
  .all('/client', allowAnyone, (c) => c.text('Method not allowed', 405, { Allow: 'GET, HEAD' }))
  .all('/client/:arch', allowAnyone, (c) => c.text('Method not allowed', 405, { Allow: 'GET, HEAD' }));
