/**
 * Native TLS with client certificates, for running without a reverse proxy. Bun.serve does not hand
 * the handler the peer certificate, but a node:tls server with `requestCert` does: each TLS socket
 * is given to a plain node:http server (`emit('connection')`), whose request sockets then carry
 * `authorized` and the peer certificate. Unverified or absent certificates are not refused at the
 * handshake (browsers reach the HTML pages); the client-certificate middleware decides per route.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Hono } from 'hono';
import { describeFileError } from '../lib/describe-file-error.ts';
import { OperatorError } from '../lib/operator-error.ts';
import { normalizeSerial } from '../lib/x509.ts';
import type { AppEnv, ConnectionInfo } from './env.ts';
import { createReadyGate, ListenError, type RunningServer } from './start-server.ts';

export interface TlsServerOptions {
  hostname: string;
  port: number;
  /** PEM files: the server certificate and key, and the CA that signs client certificates. */
  certPath: string;
  keyPath: string;
  caPath: string;
  /** Largest request body accepted, in bytes, declared or chunked. */
  maxRequestBodySize: number;
  /** Requests wait for this before reaching the app (see StartServerOptions). */
  ready?: Promise<unknown>;
  /**
   * Whether a verified certificate's serial was revoked (the built-in CA's revocations, from the
   * database); such a certificate then counts as unverified, `FAILED:certificate revoked`.
   */
  isRevoked?: (serial: string) => Promise<boolean>;
  /** Connection timeouts; `DEFAULT_TLS_TIMEOUTS` fills in what is missing. */
  timeouts?: Partial<TlsTimeouts>;
}

/** How long the listener waits for a client, in milliseconds; the server's own work is not timed. */
export interface TlsTimeouts {
  /** From the TCP connection until the TLS handshake is done. */
  handshakeMs: number;
  /** Until a request's headers are complete, from the handshake or from the previous answer. */
  headersMs: number;
  /** Until a request's body is complete, from its headers. */
  requestMs: number;
  /** Silence of a client the server waits for (between requests, mid-request), or that leaves an answer unread. */
  idleMs: number;
}

export const DEFAULT_TLS_TIMEOUTS: TlsTimeouts = {
  handshakeMs: 10_000,
  headersMs: 20_000,
  requestMs: 120_000,
  idleMs: 10_000,
};

export const BODY_TOO_LARGE_TEXT = 'Payload too large';

/** After refusing a body, how long the rest of it is read and dropped so the client can see the answer. */
const LINGER_MS = 2_000;

/** Largest write of an answer at once (see sendResponse). */
const WRITE_SLICE = 64 * 1024;

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

type PeerCertificate = NonNullable<ConnectionInfo['clientCertificate']>;

/** The certificate the client presented on this socket, as the TLS layer verified it. */
function describePeer(socket: TLSSocket): PeerCertificate & { serial?: string } {
  const certificate = socket.getPeerX509Certificate?.();
  if (!certificate) return { verified: false, subjectDn: '', verifyError: 'NONE' };
  const subjectDn = formatSubjectDn(certificate.subject);
  if (socket.authorized)
    return { verified: true, subjectDn, serial: normalizeSerial(certificate.serialNumber) };
  return { verified: false, subjectDn, verifyError: String(socket.authorizationError ?? 'unknown') };
}

/**
 * The peer's certificate after the revocation check: OpenSSL's own words for a revoked one, as a
 * proxy with a CRL would pass them on (docs/protocol.md, "Client certificates").
 */
async function checkRevocation(
  peer: PeerCertificate & { serial?: string },
  isRevoked: TlsServerOptions['isRevoked'],
): Promise<PeerCertificate> {
  const { serial, ...described } = peer;
  if (!described.verified || !serial || !isRevoked || !(await isRevoked(serial))) return described;
  return { verified: false, subjectDn: described.subjectDn, verifyError: 'certificate revoked' };
}

/**
 * Closes a connection at once. Bun's `destroy()` waits for pending writes to flush, which a client
 * that stopped reading never lets happen (Bun 1.4.5), so a reset is sent instead.
 */
function closeNow(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy(); // Node refuses to reset a TLS socket, but its destroy() does not wait.
  }
}

/**
 * Closes connections whose client is slow or silent. node:http's own timeouts do not apply to
 * sockets handed over with `emit('connection')` under Bun (checked on Bun 1.4.5), so the listener
 * keeps them: one deadline (headers, then body) and the socket's idle timeout.
 */
class ConnectionGuard {
  private deadline: ReturnType<typeof setTimeout> | undefined;
  /** Whether an answer went out and may still be on its way to the client. */
  private answered = false;

  constructor(
    private readonly socket: TLSSocket,
    private readonly timeouts: TlsTimeouts,
  ) {
    socket.on('timeout', () => this.expire());
    socket.once('close', () => clearTimeout(this.deadline));
    this.arm(timeouts.headersMs);
  }

  /** An answer went out: the next request's headers are due (keep-alive). */
  waitForNextRequest(): void {
    this.answered = true;
    this.arm(this.timeouts.headersMs);
  }

  /** A body is due. */
  waitForBody(): void {
    this.answered = false;
    this.arm(this.timeouts.requestMs);
  }

  /**
   * The server's turn: it works on a complete request, then answers. Bun's idle timeout counts only
   * what the client sends, so a stalled answer is timed by sendResponse instead.
   */
  serverTurn(): void {
    clearTimeout(this.deadline);
    this.socket.setTimeout(0);
  }

  private arm(ms: number): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => this.expire(), ms);
    this.deadline.unref?.();
    this.socket.setTimeout(this.timeouts.idleMs);
  }

  /**
   * Mid-request the client is at fault: reset. After an answer, the end of it may still sit in the
   * socket buffers of a slow reader, which a reset would drop: close gently, then reset if the
   * client has not closed its side either `idleMs` later (one that never reads never sees the end).
   */
  private expire(): void {
    clearTimeout(this.deadline);
    this.socket.setTimeout(0);
    if (!this.answered) {
      closeNow(this.socket);
      return;
    }
    this.socket.end();
    setTimeout(() => closeNow(this.socket), this.timeouts.idleMs).unref?.();
  }
}

/** A request body that the app read past the listener's cap. */
class BodyTooLargeError extends Error {}

/**
 * The request body as a web stream that reads from the socket only when the app asks for more, and
 * fails once more than `maxBytes` arrived: nothing downstream can buffer more than the cap.
 */
function streamBody(
  req: IncomingMessage,
  maxBytes: number,
  events: { tooLarge(): void; complete(): void },
): ReadableStream<Uint8Array> {
  let received = 0;
  let listening = false;
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!listening) {
          listening = true;
          req.on('data', (chunk: Buffer) => {
            if (finished) return;
            received += chunk.byteLength;
            if (received > maxBytes) {
              finished = true;
              req.pause();
              controller.error(new BodyTooLargeError(`The body exceeds ${maxBytes} bytes`));
              events.tooLarge();
              return;
            }
            controller.enqueue(chunk);
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once('end', () => {
            if (finished) return;
            finished = true;
            controller.close();
            events.complete();
          });
          const abort = () => {
            if (finished) return;
            finished = true;
            controller.error(new Error('The client closed the connection during the body'));
          };
          req.once('error', abort);
          req.once('close', abort);
        }
        req.resume();
      },
      cancel() {
        finished = true;
        req.pause();
      },
    },
    { highWaterMark: 0 },
  );
}

function toRequest(
  req: IncomingMessage,
  origin: string,
  body: ReadableStream<Uint8Array> | undefined,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method ?? 'GET',
    headers,
    body,
    // @ts-expect-error: needed by fetch implementations for a streamed request body.
    duplex: 'half',
  });
}

/**
 * Writes the app's answer in slices of `WRITE_SLICE` bytes, so that a client that reads slowly still
 * drains a slice within `idleMs`; one that stops reading for that long is disconnected.
 */
async function sendResponse(
  response: Response,
  res: ServerResponse,
  socket: TLSSocket,
  close: boolean,
  idleMs: number,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (close) headers.connection = 'close';
  res.writeHead(response.status, headers);
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (let offset = 0; offset < chunk.byteLength; offset += WRITE_SLICE) {
        if (res.destroyed) return;
        if (!res.write(chunk.subarray(offset, offset + WRITE_SLICE)) && !(await drained(res, idleMs))) {
          closeNow(socket);
          return;
        }
      }
    }
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

/**
 * Whether the client read enough of the answer for writing to go on within `ms`. Bun's socket idle
 * timeout does not fire while a write waits (Bun 1.4.5), so the wait is timed here.
 */
function drained(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolveDrain) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolveDrain(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(onClose, ms);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Ends a connection whose request body was not read to the end (refused, or ignored by the route)
 * instead of reading all of it; what arrives meanwhile is dropped, so the client can read the answer.
 */
function lingerAndClose(socket: TLSSocket, req: IncomingMessage): void {
  req.removeAllListeners('data');
  req.on('data', () => {});
  req.resume();
  socket.end();
  setTimeout(() => closeNow(socket), LINGER_MS).unref?.();
}

/** Serves `app` over TLS, handing each request its peer address and client certificate. */
export async function startTlsServer(app: Hono<AppEnv>, options: TlsServerOptions): Promise<RunningServer> {
  const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
  const pending = createReadyGate(options.ready);
  const timeouts = { ...DEFAULT_TLS_TIMEOUTS, ...options.timeouts };
  const maxBytes = options.maxRequestBodySize;
  const guards = new WeakMap<object, ConnectionGuard>();
  const guardOf = (socket: TLSSocket) => {
    let guard = guards.get(socket);
    if (!guard) {
      guard = new ConnectionGuard(socket, timeouts);
      guards.set(socket, guard);
    }
    return guard;
  };

  const http = createHttpServer(async (req, res) => {
    const socket = req.socket as TLSSocket;
    const guard = guardOf(socket);
    const method = req.method ?? 'GET';
    // A client that goes away mid-body is no error of the server's (the body stream reports it).
    req.on('error', () => {});
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? '0') > 0;
    let bodyComplete = !hasBody;
    let refused = false;
    res.once('finish', () => {
      if (bodyComplete) guard.waitForNextRequest();
      else lingerAndClose(socket, req);
    });
    const refuse = () => {
      refused = true;
      if (res.headersSent) closeNow(socket);
      else res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end(BODY_TOO_LARGE_TEXT);
    };
    if (Number(req.headers['content-length'] ?? '0') > maxBytes) return refuse();
    if (hasBody) guard.waitForBody();
    else guard.serverTurn();
    const body =
      hasBody && method !== 'GET' && method !== 'HEAD'
        ? streamBody(req, maxBytes, {
            tooLarge: refuse,
            complete() {
              bodyComplete = true;
              guard.serverTurn();
            },
          })
        : undefined;
    const peer = describePeer(socket);
    try {
      await pending();
      // Per request, not per connection: a revocation ends a kept-alive connection's rights too.
      const info: ConnectionInfo = {
        remoteAddress: socket.remoteAddress ?? '',
        clientCertificate: await checkRevocation(peer, options.isRevoked),
      };
      const response = await app.fetch(toRequest(req, `https://${req.headers.host ?? host}`, body), info);
      if (refused) {
        await response.body?.cancel();
        return;
      }
      await sendResponse(response, res, socket, !bodyComplete, timeouts.idleMs);
    } catch (error) {
      if (refused) return;
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`Internal server error: ${(error as Error).message}`);
    }
  });
  // Only what the Keep-Alive header announces: the guard does the closing.
  http.keepAliveTimeout = timeouts.idleMs;
  let tls: ReturnType<typeof createTlsServer>;
  try {
    tls = createTlsServer(
      {
        cert: readPem(options.certPath, 'TLS.CERT'),
        key: readPem(options.keyPath, 'TLS.KEY'),
        ca: readPem(options.caPath, 'TLS.CA'),
        requestCert: true,
        rejectUnauthorized: false,
        handshakeTimeout: timeouts.handshakeMs,
      },
      (socket) => {
        guardOf(socket);
        http.emit('connection', socket);
      },
    );
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    // A file that is not the PEM it should be (OpenSSL's words, e.g. "no start line").
    throw new OperatorError(`Cannot use the TLS files: ${(error as Error).message}`, { cause: error });
  }
  // A failed or timed-out handshake: Node closes the socket itself, Bun only reports it.
  tls.on('tlsClientError', (_error, socket) => closeNow(socket));
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
