/**
 * The gzip form of an agent binary (about half its size). Preferred: the `<binary>.gz` the build
 * writes beside it, used once it is checked to decompress to the binary's exact bytes. Otherwise the
 * server compresses the binary once, in zlib's thread pool, and keeps the result in memory (one copy
 * per binary, replaced when the binary changes).
 */
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { forEachChunk } from '../../lib/read-stream.ts';
import type { AgentBinary } from './agent-binary.ts';

/** A gzip body: a verified file on disk, or bytes compressed by the server. */
export type GzippedAgent =
  | { kind: 'file'; path: string; bytes: number }
  | { kind: 'memory'; data: Uint8Array<ArrayBuffer> };

const gzipAsync = promisify(gzip);
/** Level 6 takes ~2.5 s for 105 MB on a 2-core machine and gets within 3% of level 9. */
const SERVER_GZIP_LEVEL = 6;

const verified = new Map<string, Promise<boolean>>();
const compressed = new Map<string, { sha256: string; data: Promise<Uint8Array<ArrayBuffer>> }>();

/** The gzip form of `binary`; null when the binary changed on disk while it was being compressed. */
export async function getGzippedAgent(binary: AgentBinary): Promise<GzippedAgent | null> {
  const precompressed = `${binary.path}.gz`;
  const info = await stat(precompressed).catch(() => null);
  if (info?.isFile() && info.mtimeMs >= binary.mtimeMs) {
    const key = `${precompressed}:${info.size}:${info.mtimeMs}:${binary.sha256}`;
    let check = verified.get(key);
    if (!check) {
      check = hashGunzipped(precompressed).then(
        (sha256) => sha256 === binary.sha256,
        () => false,
      );
      verified.set(key, check);
    }
    if (await check) return { kind: 'file', path: precompressed, bytes: info.size };
  }
  return compressInMemory(binary);
}

async function compressInMemory(binary: AgentBinary): Promise<GzippedAgent | null> {
  let entry = compressed.get(binary.path);
  if (entry?.sha256 !== binary.sha256) {
    const data = (async () => {
      const bytes = await Bun.file(binary.path).bytes();
      const after = await stat(binary.path);
      if (after.size !== binary.bytes || after.mtimeMs !== binary.mtimeMs) {
        throw new Error(`${binary.path} changed while it was being read`);
      }
      return new Uint8Array(await gzipAsync(bytes, { level: SERVER_GZIP_LEVEL }));
    })();
    entry = { sha256: binary.sha256, data };
    compressed.set(binary.path, entry);
    data.catch(() => compressed.delete(binary.path));
  }
  try {
    return { kind: 'memory', data: await entry.data };
  } catch {
    return null;
  }
}

/** SHA-256 hex of what a gzip file decompresses to, streamed. */
async function hashGunzipped(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher('sha256');
  const stream = Bun.file(path).stream().pipeThrough(new DecompressionStream('gzip'));
  await forEachChunk(stream, (chunk) => hasher.update(chunk));
  return hasher.digest('hex');
}
