/**
 * Reads a posted form, refusing more than a few KB before anything is parsed. Sign-in and sign-out
 * parse their form before the CSRF check, so anyone can send one: parsing a large form costs about
 * 35 times its size in memory.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type BodyData, parseBody } from 'hono/utils/body';
import type { AppEnv } from './env.ts';
import { readCappedBody } from './read-capped-body.ts';

/** Largest form body accepted; the largest form (a new account) holds well under 1 KB. */
export const MAX_FORM_BYTES = 8 * 1024;

export const FORM_TOO_LARGE_TEXT = `Payload too large: a form may hold at most ${MAX_FORM_BYTES} bytes`;

/** The parsed form (as `c.req.parseBody()`), or a 413 thrown once the body exceeds `MAX_FORM_BYTES`. */
export async function readFormBody(c: Context<AppEnv>): Promise<BodyData> {
  const body = await readCappedBody(c.req.raw, MAX_FORM_BYTES);
  if (!body.ok) {
    const res = new Response(FORM_TOO_LARGE_TEXT, {
      status: 413,
      headers: { 'Content-Type': 'text/plain' },
    });
    throw new HTTPException(413, { res });
  }
  const bytes = body.bytes as Uint8Array<ArrayBuffer>;
  return parseBody(new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body: bytes }));
}
