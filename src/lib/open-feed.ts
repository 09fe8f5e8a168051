/**
 * Opens a feed as a byte stream, from an http(s) URL or a local file (air-gapped sites copy it), so
 * that it is parsed while it arrives. A URL is asked with If-Modified-Since and a User-Agent.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface FeedRequest {
  /** An `http://` or `https://` URL, or a file path (`file://` URLs too). */
  from: string;
  userAgent: string;
  /** The Last-Modified of the copy already held: an unchanged feed answers "not modified". */
  ifModifiedSince?: Date | null;
  /** Until the headers arrive, and then at most between two chunks of the body (a stalled download). */
  timeoutMs?: number;
}

export type OpenedFeed =
  | { notModified: true }
  | { notModified: false; body: AsyncIterable<Uint8Array>; lastModified: Date | null };

/** A feed that could not be fetched (network failure, HTTP error, missing file). */
export class FeedFetchError extends Error {}

export async function openFeed(request: FeedRequest): Promise<OpenedFeed> {
  if (/^https?:\/\//i.test(request.from)) return openUrl(request);
  const path = request.from.startsWith('file://') ? new URL(request.from).pathname : request.from;
  let modified: Date;
  try {
    modified = (await stat(path)).mtime;
  } catch (error) {
    throw new FeedFetchError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (request.ifModifiedSince && modified.getTime() <= request.ifModifiedSince.getTime())
    return { notModified: true };
  return { notModified: false, body: createReadStream(path), lastModified: modified };
}

async function openUrl({
  from,
  userAgent,
  ifModifiedSince,
  timeoutMs = 60_000,
}: FeedRequest): Promise<OpenedFeed> {
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: 'application/json' };
  if (ifModifiedSince) headers['If-Modified-Since'] = ifModifiedSince.toUTCString();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(from, { headers, signal: controller.signal, redirect: 'follow' });
  } catch (error) {
    throw new FeedFetchError(`cannot fetch ${from}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 304) {
    await response.body?.cancel();
    return { notModified: true };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new FeedFetchError(`cannot fetch ${from}: HTTP ${response.status}`);
  }
  const header = response.headers.get('Last-Modified');
  const lastModified = header && !Number.isNaN(Date.parse(header)) ? new Date(header) : null;
  // Bun's ReadableStream is async-iterable; the DOM typings do not say so.
  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  return { notModified: false, body: withIdleTimeout(body, controller, timeoutMs, from), lastModified };
}

/** Aborts the download when no chunk arrives for `timeoutMs`. */
async function* withIdleTimeout(
  body: AsyncIterable<Uint8Array>,
  controller: AbortController,
  timeoutMs: number,
  from: string,
): AsyncGenerator<Uint8Array> {
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const chunk of body) {
      clearTimeout(timer);
      yield chunk;
      timer = setTimeout(() => controller.abort(), timeoutMs);
    }
  } catch (error) {
    if (controller.signal.aborted)
      throw new FeedFetchError(`${from}: no data for ${timeoutMs / 1000} s, download abandoned`);
    throw new FeedFetchError(`${from}: the download broke off: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
