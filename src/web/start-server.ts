/** Starts the HTTP server (Bun.serve) for an app. */
import type { Hono } from 'hono';
import type { AppEnv, ConnectionInfo } from './env.ts';

export interface StartServerOptions {
  hostname: string;
  port: number;
  /** Largest request body Bun accepts at all; the report routes apply their own, smaller cap. */
  maxRequestBodySize: number;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves `app` on the given address; the peer address is handed to the app as a binding. */
export function startServer(app: Hono<AppEnv>, options: StartServerOptions): RunningServer {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    maxRequestBodySize: options.maxRequestBodySize,
    fetch(request, bunServer) {
      const info: ConnectionInfo = { remoteAddress: bunServer.requestIP(request)?.address ?? '' };
      return app.fetch(request, info);
    },
  });
  const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port ?? options.port,
    async stop() {
      await server.stop(true);
    },
  };
}
