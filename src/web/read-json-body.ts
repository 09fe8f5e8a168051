/**
 * Reads an API request body as UTF-8 JSON whatever its Content-Type (spec §3.1), capped in size.
 * Every failure becomes a message an operator can act on.
 */
import { readCappedBody } from './read-capped-body.ts';

export type JsonBodyResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; status: 400 | 413; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads `request`'s body, refusing more than `maxBytes`, invalid UTF-8, invalid JSON and non-objects. */
export async function readJsonObject(request: Request, maxBytes: number): Promise<JsonBodyResult> {
  const tooLarge = {
    ok: false,
    status: 413,
    message: `Payload too large: the body exceeds ${maxBytes} bytes (MAX_REPORT_BYTES)`,
  } as const;
  const body = await readCappedBody(request, maxBytes);
  if (!body.ok) return tooLarge;
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
