/**
 * Responses of the agent API: `text/plain` without a charset, 405 with `Allow` (docs/protocol.md,
 * "Requests and responses").
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.ts';

/** A one-line text/plain answer (no charset, as upstream clients and tests expect). */
export function plainText(c: Context<AppEnv>, status: ContentfulStatusCode, message: string): Response {
  return c.body(message.replace(/[\r\n]+/g, ' '), status, { 'Content-Type': 'text/plain' });
}

/** An empty text/plain answer (201 after a report, 204 after a deletion, 200 for OPTIONS). */
export function emptyText(
  c: Context<AppEnv>,
  status: StatusCode,
  headers: Record<string, string> = {},
): Response {
  return c.body(null, status, { 'Content-Type': 'text/plain', ...headers });
}

/** 405 with the methods the path accepts and an empty body (docs/protocol.md, "URLs and names"). */
export function methodNotAllowed(c: Context<AppEnv>, allow: string): Response {
  return emptyText(c, 405, { Allow: allow });
}

/**
 * A refusal with a one-line text/plain answer, thrown where it is found (the body reader, a report
 * that cannot be applied) and answered by the app's one onError.
 */
export class PlainTextError extends HTTPException {
  constructor(status: ContentfulStatusCode, message: string) {
    const text = message.replace(/[\r\n]+/g, ' ');
    super(status, {
      message: text,
      res: new Response(text, { status, headers: { 'Content-Type': 'text/plain' } }),
    });
  }
}
