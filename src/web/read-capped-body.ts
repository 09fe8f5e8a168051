/**
 * Reads a request body with a byte cap, counted on the stream: a missing or wrong Content-Length
 * cannot make a route buffer more than it can use.
 */

export type CappedBody =
  | { ok: true; bytes: Uint8Array }
  /** `too-large`: over the cap; `refused`: `inspect` stopped the read. */
  | { ok: false; reason: 'too-large' | 'refused' };

/**
 * The body's bytes, unless they exceed `maxBytes`. `inspect` sees each chunk as it arrives and may
 * stop the read early by returning false; either way the rest of the body is never read.
 */
export async function readCappedBody(
  request: Request,
  maxBytes: number,
  inspect?: (chunk: Uint8Array) => boolean,
): Promise<CappedBody> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return { ok: false, reason: 'too-large' };
  if (!request.body) return { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    const refusal = total > maxBytes ? 'too-large' : inspect && !inspect(value) ? 'refused' : null;
    if (refusal) {
      await reader.cancel().catch(() => {});
      return { ok: false, reason: refusal };
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
