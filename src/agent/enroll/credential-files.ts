/**
 * Writes the host's key, certificate and CA: each replaced in one step, readable by the user that runs
 * the agent only (0600; root on a host), in folders only that user may enter when they are new.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeFileError } from '../../lib/describe-file-error.ts';
import { writeFileAtomic } from '../../lib/write-file-atomic.ts';
import { AgentError } from '../errors.ts';

export const DEFAULT_CERT_PATH = '/etc/debmonitor/ssl/cert.pem';
export const DEFAULT_KEY_PATH = '/etc/debmonitor/ssl/key.pem';
export const DEFAULT_CA_PATH = '/etc/debmonitor/ssl/ca.pem';

/** Writes `text` to `path` with mode 0600. */
export function writeCredentialFile(path: string, text: string, role: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileAtomic(path, text, 0o600);
  } catch (error) {
    throw new AgentError(`Unable to write the ${role} ${path}: ${describeFileError(error)}`);
  }
}

/** The text of a file, or '' when it cannot be read. */
export function readOptionalFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
