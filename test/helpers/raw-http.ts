/**
 * HTTP/1.1 written by hand over TCP or TLS, for what fetch cannot do: half-sent requests, bodies
 * streamed until the server answers, and timing when the server closes a connection.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far, as text. */
  received(): string;
  /** The status code of the first answer, or 0 while none came. */
  status(): number;
  isClosed(): boolean;
  /** Resolves once the server has closed the connection. */
  closed: Promise<void>;
}

export interface RawConnectOptions {
  port: number;
  /** TLS (with the given client certificate and key, if any); plain TCP when absent. */
  tls?: { cert?: Buffer; key?: Buffer };
}

/** Connects to 127.0.0.1 and resolves once the connection (and the TLS handshake) is up. */
export async function openRaw(options: RawConnectOptions): Promise<RawConnection> {
  const socket: Socket = options.tls
    ? connectTls({ host: '127.0.0.1', port: options.port, rejectUnauthorized: false, ...options.tls })
    : connectTcp({ host: '127.0.0.1', port: options.port });
  const connection = watch(socket);
  await new Promise<void>((resolveOpen, reject) => {
    socket.once(options.tls ? 'secureConnect' : 'connect', () => resolveOpen());
    socket.once('error', reject);
  });
  return connection;
}

/** Follows what the server sends on `socket` and when it closes. */
export function watch(socket: Socket): RawConnection {
  let text = '';
  let closed = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  // A reset after the answer is how the server ends some connections: not a failure here.
  socket.on('error', () => {});
  const closedPromise = new Promise<void>((resolveClosed) =>
    socket.once('close', () => {
      closed = true;
      resolveClosed();
    }),
  );
  return {
    socket,
    received: () => text,
    status: () => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
    isClosed: () => closed,
    closed: closedPromise,
  };
}

/** Milliseconds until the server closes `connection`; fails the test after `limitMs`. */
export async function millisecondsUntilClosed(connection: RawConnection, limitMs: number): Promise<number> {
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([connection.closed, limit]);
  } finally {
    clearTimeout(timer);
    connection.socket.destroy();
  }
  return performance.now() - start;
}

/**
 * Sends `head` (request line and headers, without the blank line), then `totalBytes` of body in
 * chunks of `chunkBytes` made by `fill` (chunked encoding when `chunked`), without ever holding more
 * than one chunk; stops as soon as the server answers or closes. Resolves with the body bytes sent.
 */
export async function streamBody(
  connection: RawConnection,
  head: string,
  options: {
    totalBytes: number;
    chunked: boolean;
    chunkBytes?: number;
    fill?: (chunk: Buffer, offset: number) => void;
  },
): Promise<number> {
  const { socket } = connection;
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const framing = options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${options.totalBytes}`;
  socket.write(`${head}\r\n${framing}\r\n\r\n`);
  const chunk = Buffer.alloc(chunkBytes);
  let sent = 0;
  const stopped = () => connection.isClosed() || connection.status() !== 0 || socket.destroyed;
  while (sent < options.totalBytes && !stopped()) {
    const size = Math.min(chunkBytes, options.totalBytes - sent);
    options.fill?.(chunk, sent);
    const piece = chunk.subarray(0, size);
    const flushed = socket.write(
      options.chunked
        ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), piece, CRLF])
        : Buffer.from(piece),
    );
    sent += size;
    if (!flushed) await drainedOrStopped(socket, stopped);
  }
  if (options.chunked && !stopped()) socket.write('0\r\n\r\n');
  return sent;
}

const CRLF = Buffer.from('\r\n');

/** Waits until the socket drains, or until the server answered or closed (it may stop reading then). */
async function drainedOrStopped(socket: Socket, stopped: () => boolean): Promise<void> {
  let drained = false;
  const onDrain = () => {
    drained = true;
  };
  socket.once('drain', onDrain);
  try {
    while (!drained && !stopped()) await Bun.sleep(5);
  } finally {
    socket.off('drain', onDrain);
  }
}

/** Resolves once the server's first answer is complete (headers and, if any, its body), or closed. */
export async function waitForAnswer(connection: RawConnection, limitMs = 10_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!isComplete(connection.received()) && !connection.isClosed()) {
    if (performance.now() > deadline)
      throw new Error(`no complete answer in ${limitMs} ms:\n${connection.received()}`);
    await Bun.sleep(10);
  }
}

function isComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const head = text.slice(0, end).toLowerCase();
  const body = text.slice(end + 4);
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/.test(head)) return body.includes('0\r\n\r\n');
  return true;
}
