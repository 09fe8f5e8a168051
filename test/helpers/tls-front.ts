/**
 * A TLS front for binary tests: a throw-away CA and a certificate for localhost (made with openssl),
 * and an HTTPS server that forwards every request to a plain-HTTP target, records what it saw, and may
 * rewrite responses (to corrupt a download, for instance).
 */
import { join } from 'node:path';

export interface TestCertificates {
  caPath: string;
  certPath: string;
  keyPath: string;
}

/** Makes a CA and a server certificate for localhost and 127.0.0.1 in `dir`. */
export function createTestCertificates(dir: string): TestCertificates {
  const paths = {
    caPath: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    certPath: join(dir, 'server.pem'),
    keyPath: join(dir, 'server.key'),
    csr: join(dir, 'server.csr'),
    ext: join(dir, 'server.ext'),
  };
  const run = (args: string[]) => {
    const result = Bun.spawnSync(['openssl', ...args], { cwd: dir, stderr: 'pipe' });
    if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
  };
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=DebMonitor test CA',
    '-keyout',
    paths.caKey,
    '-out',
    paths.caPath,
  ]);
  run([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    paths.keyPath,
    '-out',
    paths.csr,
  ]);
  Bun.spawnSync(['sh', '-c', `printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ${paths.ext}`]);
  run([
    'x509',
    '-req',
    '-in',
    paths.csr,
    '-CA',
    paths.caPath,
    '-CAkey',
    paths.caKey,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    paths.ext,
    '-out',
    paths.certPath,
  ]);
  return { caPath: paths.caPath, certPath: paths.certPath, keyPath: paths.keyPath };
}

export interface SeenRequest {
  method: string;
  path: string;
}

export interface TlsFront {
  port: number;
  /** Requests forwarded so far, oldest first. */
  seen: SeenRequest[];
  stop(): Promise<void>;
}

export interface TlsFrontOptions {
  certificates: TestCertificates;
  /** Base URL of the plain-HTTP server behind, e.g. http://127.0.0.1:34567. */
  target: string;
  /** Rewrites a response before it goes back (the body is passed through undecoded). */
  rewrite?: (request: Request, response: Response) => Response | Promise<Response>;
}

/** Starts the HTTPS front on a free loopback port. */
export async function startTlsFront(options: TlsFrontOptions): Promise<TlsFront> {
  const seen: SeenRequest[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    tls: {
      cert: await Bun.file(options.certificates.certPath).text(),
      key: await Bun.file(options.certificates.keyPath).text(),
    },
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname + url.search });
      const forwarded = await fetch(options.target + url.pathname + url.search, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer(),
        decompress: false,
      } as BunFetchRequestInit);
      return options.rewrite ? options.rewrite(request, forwarded) : forwarded;
    },
  });
  return {
    port: server.port ?? 0,
    seen,
    async stop() {
      await server.stop(true);
    },
  };
}
