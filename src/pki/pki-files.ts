/**
 * The files of the built-in CA in PKI_DIR (README, "Certificates without a CA of your own"). The CA
 * key lives only here, never in the database: server instances sharing one database either share
 * this directory or leave signing to the one instance that has it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeFileError } from '../lib/describe-file-error.ts';
import { OperatorError } from '../lib/operator-error.ts';
import { writeFileAtomic } from '../lib/write-file-atomic.ts';

export interface PkiPaths {
  dir: string;
  caKey: string;
  caCert: string;
  serverKey: string;
  serverCert: string;
  crl: string;
}

/** The files of the directory, as absolute paths (messages and the TLS snippet name them). */
export function pkiPaths(pkiDir: string): PkiPaths {
  const dir = resolve(pkiDir);
  return {
    dir,
    caKey: join(dir, 'ca.key'),
    caCert: join(dir, 'ca.crt'),
    serverKey: join(dir, 'server.key'),
    serverCert: join(dir, 'server.crt'),
    crl: join(dir, 'crl.pem'),
  };
}

/** Whether the directory holds a CA key, that is whether this server can sign. */
export function hasAuthority(paths: PkiPaths): boolean {
  return existsSync(paths.caKey);
}

/** Creates the directory, readable by its owner only. */
export function makePkiDir(paths: PkiPaths): void {
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new OperatorError(`Cannot create PKI_DIR ${paths.dir}: ${describeFileError(error)}`, {
      cause: error,
    });
  }
}

/** Writes a private key or anything else only the server's user may read (0600). */
export function writePrivateFile(path: string, text: string): void {
  writeFile(path, text, 0o600);
}

/** Writes a certificate or CRL, which anyone may read (0644: nginx reads the CRL as its own user). */
export function writePublicFile(path: string, text: string): void {
  writeFile(path, text, 0o644);
}

function writeFile(path: string, text: string, mode: number): void {
  try {
    writeFileAtomic(path, text, mode);
  } catch (error) {
    throw new OperatorError(`Cannot write ${path}: ${describeFileError(error)}`, { cause: error });
  }
}

/** Reads a file of the directory; the message names it and says how the directory is made. */
export function readPkiFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new OperatorError(
      `Cannot read ${path}: ${describeFileError(error)} (debmonitor-server pki init creates the CA)`,
      { cause: error },
    );
  }
}
