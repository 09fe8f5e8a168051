/** Test certificates made with openssl: a CA, a server certificate for 127.0.0.1 and a client certificate. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths and contents of the generated material. */
export interface TlsMaterial {
  caPath: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCertPath: string;
  clientKeyPath: string;
  /** One PEM with the client certificate and its key, for `-c` alone. */
  clientCombinedPath: string;
}

/** Runs openssl and throws with its error output on failure. */
function openssl(args: string[], cwd: string): void {
  const result = Bun.spawnSync(['openssl', ...args], { cwd, stdout: 'pipe', stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
}

/** Issues a certificate signed by the test CA. */
function issue(directory: string, name: string, subject: string, extensions: string): void {
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ],
    directory,
  );
  writeFileSync(join(directory, `${name}.ext`), extensions);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    directory,
  );
}

/** Generates the material in `directory` (created if needed). */
export function createTlsMaterial(directory: string, clientName = 'host1.example.org'): TlsMaterial {
  mkdirSync(directory, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=DebMonitor test CA',
    ],
    directory,
  );
  issue(
    directory,
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  issue(directory, 'client', `/CN=${clientName}`, 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => readFileSync(join(directory, name), 'utf8');
  writeFileSync(join(directory, 'client-combined.pem'), `${read('client.pem')}${read('client.key')}`);
  return {
    caPath: join(directory, 'ca.pem'),
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCertPath: join(directory, 'client.pem'),
    clientKeyPath: join(directory, 'client.key'),
    clientCombinedPath: join(directory, 'client-combined.pem'),
  };
}
