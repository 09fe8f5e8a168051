/** A small DebMonitor stand-in on 127.0.0.1 over TLS: it records every request and answers as told. */
import type { TlsMaterial } from './tls-material.ts';

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** A running server. */
export interface ReportServer {
  port: number;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Options of the stand-in. */
export interface ReportServerOptions {
  tls: TlsMaterial;
  /** Require a client certificate signed by the test CA. */
  requireClientCert?: boolean;
  /** Answers the n-th request (0-based); 201 by default. */
  respond?: (request: RecordedRequest, index: number) => Response;
  /** Listen on this port (to bring a server back where a previous one was). */
  port?: number;
}

/** Starts the stand-in; stop it in afterAll/afterEach. */
export function startReportServer(options: ReportServerOptions): ReportServer {
  const requests: RecordedRequest[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: options.port ?? 0,
    tls: {
      cert: options.tls.serverCert,
      key: options.tls.serverKey,
      ca: options.tls.ca,
      requestCert: options.requireClientCert === true,
      rejectUnauthorized: options.requireClientCert === true,
    },
    async fetch(request) {
      const body = await request.text();
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      const recorded: RecordedRequest = {
        method: request.method,
        path: new URL(request.url).pathname,
        headers,
        body,
        json,
      };
      requests.push(recorded);
      return options.respond?.(recorded, requests.length - 1) ?? new Response('', { status: 201 });
    },
  });
  return { port: server.port!, requests, stop: () => server.stop(true) };
}
