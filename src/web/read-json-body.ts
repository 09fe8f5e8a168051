/**
 * Reads an API request body as UTF-8 JSON whatever its Content-Type, capped in size
 * (docs/protocol.md, "Requests and responses").
 * Every failure becomes a message an operator can act on.
 */
import type { Context } from 'hono';
import { PlainTextError } from './api-responses.ts';
import type { AppEnv } from './env.ts';
import { readCappedBody } from './read-capped-body.ts';

export type JsonBodyResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: 400 | 413; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest nesting of arrays and objects accepted; reports nest about 4 levels, Kubernetes ones a few more. */
export const MAX_JSON_DEPTH = 64;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Reads `request`'s body, refusing more than `maxBytes`, invalid UTF-8, invalid JSON and non-objects. */
export async function readJsonObject(request: Request, maxBytes: number): Promise<JsonBodyResult> {
  const tooLarge = {
    ok: false,
    status: 413,
    message: `Payload too large: the body exceeds ${maxBytes} bytes (MAX_REPORT_BYTES)`,
  } as const;
  const scan = createJsonDepthScan(MAX_JSON_DEPTH);
  const body = await readCappedBody(request, maxBytes, scan);
  if (!body.ok && body.reason === 'too-large') return tooLarge;
  if (!body.ok) {
    return {
      ok: false,
      status: 400,
      message: `Unable to parse JSON string payload: nested deeper than ${MAX_JSON_DEPTH} levels`,
    };
  }
  const bytes = body.bytes;
  if (bytes.length === 0) {
    const path = new URL(request.url).pathname;
    return { ok: false, status: 400, message: `Empty POST, expected JSON string: ${request.method} ${path}` };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return {
      ok: false,
      status: 400,
      message: 'Unable to parse JSON string payload: the body is not valid UTF-8',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      status: 400,
      message: `Unable to parse JSON string payload: ${(error as Error).message}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return {
      ok: false,
      status: 400,
      message: `Unable to parse JSON string payload: expected a JSON object, got ${kind}`,
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * A scan of JSON bytes, fed chunk by chunk, that answers false once arrays and objects nest deeper
 * than `maxDepth`: JSON.parse would build every level first (a 30 MB `[[[…` costs over 1 GB). It
 * follows strings and escapes as JSON.parse does, so brackets inside strings do not count. It costs
 * about 1.2 ms of CPU per MB of report, a fifth of what decoding and JSON.parse take.
 */
export function createJsonDepthScan(maxDepth: number): (chunk: Uint8Array) => boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        if (++depth > maxDepth) return false;
      } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) depth--;
    }
    return true;
  };
}

/** The report body of `c` as a JSON object; any failure is thrown as its 400 or 413 answer. */
export async function readReportBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const body = await readJsonObject(c.req.raw, c.var.config.MAX_REPORT_BYTES);
  if (!body.ok) throw new PlainTextError(body.status, body.message);
  return body.value;
}
