/** Starts the HTTP server (Bun.serve) for an app. */
import type { Hono } from 'hono';
import { OperatorError } from '../lib/operator-error.ts';
import type { AppEnv, ConnectionInfo } from './env.ts';

export interface StartServerOptions {
  hostname: string;
  port: number;
  /** Largest request body Bun accepts at all; the report routes apply their own, smaller cap. */
  maxRequestBodySize: number;
  /** Requests wait for this (migrations, the first admin) before reaching the app. */
  ready?: Promise<unknown>;
}

/** Holds requests until `ready` settles; afterwards costs one check per request. */
export function createReadyGate(ready: Promise<unknown> | undefined): () => Promise<unknown> | undefined {
  let pending = ready;
  ready?.then(
    () => {
      pending = undefined;
    },
    () => {},
  );
  return () => pending;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves `app` on the given address; the peer address is handed to the app as a binding. */
export function startServer(app: Hono<AppEnv>, options: StartServerOptions): RunningServer {
  const pending = createReadyGate(options.ready);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: options.hostname,
      port: options.port,
      maxRequestBodySize: options.maxRequestBodySize,
      fetch(request, bunServer) {
        const info: ConnectionInfo = { remoteAddress: bunServer.requestIP(request)?.address ?? '' };
        const wait = pending();
        return wait ? wait.then(() => app.fetch(request, info)) : app.fetch(request, info);
      },
    });
  } catch (error) {
    throw new ListenError(options.hostname, options.port, error);
  }
  const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port ?? options.port,
    async stop() {
      await server.stop(true);
    },
  };
}

/** The address could not be bound; the message names it and the likely reason. */
export class ListenError extends OperatorError {
  override name = 'ListenError';
  constructor(hostname: string, port: number, cause: unknown) {
    const host = hostname.includes(':') ? `[${hostname}]` : hostname;
    const code = (cause as { code?: unknown } | undefined)?.code;
    const reasons: Record<string, string> = {
      EADDRINUSE: 'the port is already in use (another DebMonitor, or another program?)',
      EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
      EADDRNOTAVAIL: "the address is not one of this machine's (check LISTEN_ADDRESS or --host)",
    };
    const reason = (typeof code === 'string' && reasons[code]) || (cause as Error | undefined)?.message;
    super(`Cannot listen on ${host}:${port}: ${reason}`, { cause });
  }
}
