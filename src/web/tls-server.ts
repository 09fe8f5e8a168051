/**
 * Native TLS with client certificates, for running without a reverse proxy. Bun.serve does not hand
 * the handler the peer certificate, but a node:tls server with `requestCert` does: each TLS socket
 * is given to a plain node:http server (`emit('connection')`), whose request sockets then carry
 * `authorized` and the peer certificate. Unverified or absent certificates are not refused at the
 * handshake (browsers reach the HTML pages); the client-certificate middleware decides per route.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Hono } from 'hono';
import { describeFileError } from '../lib/describe-file-error.ts';
import { OperatorError } from '../lib/operator-error.ts';
import type { AppEnv, ConnectionInfo } from './env.ts';
import { createReadyGate, ListenError, type RunningServer } from './start-server.ts';

export interface TlsServerOptions {
  hostname: string;
  port: number;
  /** PEM files: the server certificate and key, and the CA that signs client certificates. */
  certPath: string;
  keyPath: string;
  caPath: string;
  /** Largest request body accepted, in bytes. */
  maxRequestBodySize: number;
  /** Requests wait for this before reaching the app (see StartServerOptions). */
  ready?: Promise<unknown>;
}

/** RFC 2253 form of a certificate subject (`CN=h1,O=Acme,C=US`): most specific attribute first. */
export function formatSubjectDn(subject: string): string {
  return subject
    .split('\n')
    .filter((line) => line.includes('='))
    .reverse()
    .map((line) => {
      const at = line.indexOf('=');
      const value = line.slice(at + 1).replace(/([,+"\\<>;])/g, '\\$1');
      return `${line.slice(0, at)}=${value}`;
    })
    .join(',');
}

/** The certificate the client presented on this socket, as the TLS layer verified it. */
function describePeer(socket: TLSSocket): NonNullable<ConnectionInfo['clientCertificate']> {
  const certificate = socket.getPeerX509Certificate?.();
  if (!certificate) return { verified: false, subjectDn: '', verifyError: 'NONE' };
  const subjectDn = formatSubjectDn(certificate.subject);
  if (socket.authorized) return { verified: true, subjectDn };
  return { verified: false, subjectDn, verifyError: String(socket.authorizationError ?? 'unknown') };
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error: needed by fetch implementations for a streamed request body.
    duplex: 'half',
  });
}

async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  }
  res.end();
}

function readPem(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new OperatorError(`Cannot read ${key} file ${path}: ${describeFileError(error)}`, { cause: error });
  }
}

/** Serves `app` over TLS, handing each request its peer address and client certificate. */
export async function startTlsServer(app: Hono<AppEnv>, options: TlsServerOptions): Promise<RunningServer> {
  const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
  const pending = createReadyGate(options.ready);
  const http = createHttpServer(async (req, res) => {
    const socket = req.socket as TLSSocket;
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > options.maxRequestBodySize) {
      res.writeHead(413, { 'Content-Type': 'text/plain' }).end('Payload too large');
      return;
    }
    const info: ConnectionInfo = {
      remoteAddress: socket.remoteAddress ?? '',
      clientCertificate: describePeer(socket),
    };
    try {
      await pending();
      const response = await app.fetch(toRequest(req, `https://${req.headers.host ?? host}`), info);
      await sendResponse(response, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`Internal server error: ${(error as Error).message}`);
    }
  });
  let tls: ReturnType<typeof createTlsServer>;
  try {
    tls = createTlsServer(
      {
        cert: readPem(options.certPath, 'TLS.CERT'),
        key: readPem(options.keyPath, 'TLS.KEY'),
        ca: readPem(options.caPath, 'TLS.CA'),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (socket) => http.emit('connection', socket),
    );
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    // A file that is not the PEM it should be (OpenSSL's words, e.g. "no start line").
    throw new OperatorError(`Cannot use the TLS files: ${(error as Error).message}`, { cause: error });
  }
  await new Promise<void>((resolveListen, reject) => {
    tls.once('error', (error) => reject(new ListenError(options.hostname, options.port, error)));
    tls.listen(options.port, options.hostname, () => resolveListen());
  });
  const port = (tls.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    port,
    async stop() {
      http.closeAllConnections?.();
      await new Promise<void>((resolveClose) => tls.close(() => resolveClose()));
    },
  };
}
