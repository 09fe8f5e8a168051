/**
 * Facts about an agent binary on disk, for /client and the agent page: version (read from the
 * `@(#)debmonitor <version>` marker the build embeds, so a binary for another architecture need not
 * run), SHA-256 and size. Computed once per file identity (path, size, mtime) and cached; the file is
 * streamed so hashing 100 MB never holds the event loop for long.
 */
import { stat } from 'node:fs/promises';
import { forEachChunk } from '../../lib/read-stream.ts';
import { VERSION_MARKER_PREFIX } from '../../lib/version.ts';

/** What /client tells an agent about a binary. */
export interface AgentBinary {
  path: string;
  bytes: number;
  mtimeMs: number;
  /** The embedded version, or null when the file carries no marker (not a DebMonitor build). */
  version: string | null;
  /** Lowercase hex SHA-256 of the file. */
  sha256: string;
}

const MARKER = Buffer.from(VERSION_MARKER_PREFIX, 'latin1');
/** A version is at most this long; the carried-over tail must hold a whole marker. */
const MARKER_SPAN = MARKER.length + 64;
const VERSION_CHARS = /^[0-9A-Za-z.+-]+/;

const cache = new Map<string, { key: string; facts: Promise<AgentBinary> }>();

/** Facts about the binary at `path`, or null when there is no regular file there. */
export async function describeAgentBinary(path: string): Promise<AgentBinary | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  const key = `${info.size}:${info.mtimeMs}`;
  const cached = cache.get(path);
  if (cached?.key === key) return cached.facts;
  const facts = readAgentBinary(path, info.size, info.mtimeMs);
  cache.set(path, { key, facts });
  facts.catch(() => cache.delete(path));
  return facts;
}

async function readAgentBinary(path: string, bytes: number, mtimeMs: number): Promise<AgentBinary> {
  const hasher = new Bun.CryptoHasher('sha256');
  let version: string | null = null;
  let tail = Buffer.alloc(0);
  await forEachChunk(Bun.file(path).stream(), (chunk) => {
    hasher.update(chunk);
    if (version === null) {
      const window = Buffer.concat([tail, chunk]);
      version = findVersionMarker(window);
      tail = window.subarray(Math.max(0, window.length - MARKER_SPAN));
    }
  });
  return { path, bytes, mtimeMs, version, sha256: hasher.digest('hex') };
}

/** The version following the first complete `@(#)debmonitor ` marker in `data`, or null. */
export function findVersionMarker(data: Buffer): string | null {
  let at = data.indexOf(MARKER);
  while (at !== -1) {
    const rest = data.subarray(at + MARKER.length, at + MARKER_SPAN).toString('latin1');
    const match = VERSION_CHARS.exec(rest);
    // A marker cut by the end of the window is read again with the next chunk.
    if (match && match[0].length < rest.length) return match[0];
    at = data.indexOf(MARKER, at + 1);
  }
  return null;
}
