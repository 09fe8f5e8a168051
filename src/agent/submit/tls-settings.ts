/**
 * The TLS material of a run (docs/protocol.md, "Client certificates"): the client certificate and key
 * for mutual TLS, and the trust anchors. Files are read only when something is sent, never during
 * option parsing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeFileError } from '../../lib/describe-file-error.ts';
import { AgentError } from '../errors.ts';

/** Debian's system bundle, which legacy (python3-requests) trusted; Bun's built-in list differs. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The `tls` options handed to fetch. */
export interface TlsSettings {
  cert?: string;
  key?: string;
  ca?: string[];
}

/** The paths to load the TLS material from. */
export interface TlsPaths {
  cert?: string;
  key?: string;
  ca?: string;
  systemBundle?: string;
}

const PRIVATE_KEY_BLOCK = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/;
const CERTIFICATE_BLOCKS = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a PEM file with a message that names what the file was for. */
function readPem(path: string, role: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AgentError(`Unable to read the ${role} ${path}: ${describeFileError(error)}`);
  }
}

/** Reads the CA certificates of a bundle file, or of every file in a directory. */
function readCaCertificates(path: string): string[] {
  let files = [path];
  try {
    if (statSync(path).isDirectory()) {
      files = readdirSync(path)
        .filter((name) => /\.(pem|crt)$/.test(name))
        .sort()
        .map((name) => join(path, name));
    }
  } catch (error) {
    throw new AgentError(`Unable to read the CA bundle ${path}: ${describeFileError(error)}`);
  }
  const certificates = files.flatMap((file) => readPem(file, 'CA bundle').match(CERTIFICATE_BLOCKS) ?? []);
  if (certificates.length === 0) throw new AgentError(`The CA bundle ${path} holds no PEM certificate`);
  return certificates;
}

/**
 * Loads the TLS material. With `-c` alone the certificate file must also hold the key; with `--ca` only
 * that bundle is trusted; without it the system bundle is, when the host has one.
 */
export function loadTlsSettings(paths: TlsPaths): TlsSettings {
  const settings: TlsSettings = {};
  if (paths.cert) {
    const certPem = readPem(paths.cert, 'client certificate');
    const certificates = certPem.match(CERTIFICATE_BLOCKS);
    if (!certificates) throw new AgentError(`The client certificate ${paths.cert} holds no PEM certificate`);
    const keyPem = paths.key ? readPem(paths.key, 'client key') : certPem;
    const keyMatch = PRIVATE_KEY_BLOCK.exec(keyPem);
    if (keyMatch?.[1] === 'ENCRYPTED ') {
      throw new AgentError(
        `The client key in ${paths.key ?? paths.cert} is encrypted: the agent needs it unencrypted`,
      );
    }
    const key = keyMatch?.[0];
    if (!key) {
      throw new AgentError(
        paths.key
          ? `The client key ${paths.key} holds no unencrypted PEM private key`
          : `The client certificate ${paths.cert} holds no private key: pass the key file with -k/--key`,
      );
    }
    settings.cert = certificates.join('\n');
    settings.key = key;
  }
  const systemBundle = paths.systemBundle ?? SYSTEM_CA_BUNDLE;
  if (paths.ca) settings.ca = readCaCertificates(paths.ca);
  else if (systemBundle && fileExists(systemBundle)) settings.ca = readCaCertificates(systemBundle);
  return settings;
}

/** True when `path` names an existing file. */
function fileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
