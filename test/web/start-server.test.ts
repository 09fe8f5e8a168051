/** The plain listener: requests wait for `ready`; a busy port is a ListenError naming the address. */
import { describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import type { AppEnv } from '../../src/web/env.ts';
import { ListenError, startServer } from '../../src/web/start-server.ts';

function helloApp(): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', (c) => c.text('hello'));
}

describe('startServer', () => {
  test('holds requests until ready resolves', async () => {
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const server = startServer(helloApp(), {
      hostname: '127.0.0.1',
      port: 0,
      maxRequestBodySize: 1024,
      ready,
    });
    try {
      let answered = false;
      const response = fetch(server.url).then((answer) => {
        answered = true;
        return answer;
      });
      await Bun.sleep(100);
      expect(answered).toBe(false);
      markReady();
      expect(await (await response).text()).toBe('hello');
    } finally {
      await server.stop();
    }
  });

  test('a busy port is a ListenError naming the address and port', async () => {
    const first = startServer(helloApp(), { hostname: '127.0.0.1', port: 0, maxRequestBodySize: 1024 });
    try {
      let caught: unknown;
      try {
        startServer(helloApp(), { hostname: '127.0.0.1', port: first.port, maxRequestBodySize: 1024 });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ListenError);
      expect((caught as Error).message).toBe(
        `Cannot listen on 127.0.0.1:${first.port}: the port is already in use (another DebMonitor, or another program?)`,
      );
    } finally {
      await first.stop();
    }
  });
});
