/**
 * Reads an API request body as UTF-8 JSON whatever its Content-Type (spec §3.1), capped in size.
 * Every failure becomes a message an operator can act on.
 */

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
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return tooLarge;
  const bytes = await readCapped(request, maxBytes);
  if (bytes === null) return tooLarge;
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

/** The body bytes, or null as soon as they exceed `maxBytes` (a missing Content-Length cannot dodge the cap). */
async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
