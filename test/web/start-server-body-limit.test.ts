/** The plain listener (Bun.serve) enforces the same body cap as the TLS one, declared or chunked. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import type { AppEnv } from '../../src/web/env.ts';
import { type RunningServer, startServer } from '../../src/web/start-server.ts';
import { openRaw, streamBody, waitForAnswer } from '../helpers/raw-http.ts';

const CAP = 1024 * 1024;

describe('plain listener: body cap', () => {
  let server: RunningServer;
  beforeAll(() => {
    const app = new Hono<AppEnv>();
    app.onError((_error, c) => c.text('route failed', 500));
    // Reads the whole body with no cap of its own, as a careless route would.
    app.post('/echo', async (c) => c.text(`got ${(await c.req.arrayBuffer()).byteLength}`));
    server = startServer(app, { hostname: '127.0.0.1', port: 0, maxRequestBodySize: CAP });
  });
  afterAll(async () => server?.stop());

  test('a chunked body over the cap is refused with 413 even when the route would read it all', async () => {
    const connection = await openRaw({ port: server.port });
    const sent = await streamBody(connection, 'POST /echo HTTP/1.1\r\nHost: x', {
      totalBytes: 200 * CAP,
      chunked: true,
    });
    await waitForAnswer(connection);
    expect(connection.status()).toBe(413);
    expect(sent).toBeLessThan(64 * CAP);
    connection.socket.destroy();
  });

  test('a declared body over the cap is refused', async () => {
    const connection = await openRaw({ port: server.port });
    connection.socket.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${CAP + 1}\r\n\r\n`);
    await waitForAnswer(connection);
    expect(connection.status()).toBe(413);
    connection.socket.destroy();
  });

  test('a chunked body under the cap reaches the route whole', async () => {
    const connection = await openRaw({ port: server.port });
    await streamBody(connection, 'POST /echo HTTP/1.1\r\nHost: x', { totalBytes: CAP, chunked: true });
    await waitForAnswer(connection);
    expect(connection.status()).toBe(200);
    expect(connection.received()).toContain(`got ${CAP}`);
    connection.socket.destroy();
  });
});
