/** Keys and certificates made by openssl for TLS tests: a CA, servers and clients. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Returns `make(name, subject, ca, extensions)`, which writes `name.key` and `name.crt` in `dir` for
 * `subject`, signed by the CA named `ca` (self-signed when ca is null).
 */
export function certificateMaker(
  dir: string,
): (name: string, subject: string, ca: string | null, extensions?: string) => void {
  const file = (name: string) => join(dir, name);
  function openssl(...args: string[]): void {
    const result = Bun.spawnSync(['openssl', ...args], { cwd: dir, stderr: 'pipe' });
    if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
  }

  function makeCertificate(name: string, subject: string, ca: string | null, extensions?: string): void {
    if (!ca) {
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        '2',
        '-subj',
        subject,
      );
      return;
    }
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    const extra = extensions ? ['-extfile', `${name}.ext`] : [];
    if (extensions) writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      ...extra,
    );
  }

  return makeCertificate;
}
