/**
 * `debmonitor-server pki init|issue|revoke|crl|list`: the built-in CA for sites without one of their
 * own (README, "Certificates without a CA of your own"). The CA key stays in PKI_DIR; what was
 * issued and revoked is recorded in the database, which every instance reads.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ArgsDef, defineCommand } from 'citty';
import type { Config } from '../config/schema.ts';
import type { Database } from '../db/open-database.ts';
import { isHostName } from '../domain/host-pattern.ts';
import { OperatorError } from '../lib/operator-error.ts';
import { exportPrivateKeyPem, generateKeyPair, normalizeSerial } from '../lib/x509.ts';
import { type Authority, createAuthority, loadAuthority, signCertificate } from '../pki/authority.ts';
import { writeCrl } from '../pki/crl.ts';
import { fingerprintOf } from '../pki/fingerprint.ts';
import { defaultServerNames } from '../pki/local-ca.ts';
import { type PkiPaths, pkiPaths, writePrivateFile, writePublicFile } from '../pki/pki-files.ts';
import {
  listIssuedCertificates,
  listRevokedCertificates,
  recordCertificate,
  revokeCertificates,
} from '../store/pki/issued-certificates.ts';
import { printTable } from './print-table.ts';

/** How the pki and enroll-token commands reach the configuration and database their flags name. */
export interface PkiCommandOptions<A extends ArgsDef> {
  commonArgs: A;
  readConfig(args: Record<string, unknown>): Config;
  withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T>;
  print?: (line: string) => void;
}

export { fingerprintOf };

/** The CA of the configuration's PKI_DIR, or the error that says how to make one. */
export async function requireAuthority(paths: PkiPaths): Promise<Authority> {
  const authority = await loadAuthority(paths);
  if (!authority) {
    throw new OperatorError(
      `${paths.dir} holds no CA: run debmonitor-server pki init first (or set PKI_DIR)`,
    );
  }
  return authority;
}

/** Rewrites crl.pem from the database's revocations. */
async function refreshCrl(authority: Authority, paths: PkiPaths, database: Database): Promise<number> {
  const revoked = await listRevokedCertificates(database);
  await writeCrl(authority, paths, revoked);
  return revoked.length;
}

/**
 * The serial `text` spells, normalized as the database keeps it (lower case, no leading zeros), when
 * it is one: 16 or more hex digits, optionally in colon-separated pairs as openssl prints them.
 */
export function parseSerial(text: string): string | null {
  const digits =
    text.includes(':') && /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/.test(text) ? text.replaceAll(':', '') : text;
  return /^[0-9A-Fa-f]{16,}$/.test(digits) ? normalizeSerial(digits) : null;
}

function requireHostName(name: string): string {
  if (!isHostName(name))
    throw new OperatorError(`'${name}' is not a host name (letters, digits, hyphens and dots)`);
  return name;
}

export function createPkiCommand<A extends ArgsDef>(options: PkiCommandOptions<A>) {
  const print = options.print ?? ((line: string) => console.log(line));

  const init = defineCommand({
    meta: { name: 'init', description: 'Create the CA and a server certificate in PKI_DIR' },
    args: {
      ...options.commonArgs,
      names: {
        type: 'string',
        description: `The server's names, comma separated: DNS names or IP addresses (default: this machine's name, FQDN and addresses, localhost, 127.0.0.1)`,
      },
    },
    async run({ args }) {
      const config = options.readConfig(args);
      const paths = pkiPaths(config.pkiDir);
      const names = args.names
        ? String(args.names)
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean)
        : await defaultServerNames();
      const { authority } = await createAuthority(paths, names);
      await writeCrl(authority, paths, []);
      print(`Created the CA in ${paths.dir}: ${paths.caCert} and its key ${paths.caKey} (keep it there)`);
      print(`Server certificate for ${names.join(', ')}: ${paths.serverCert}, key ${paths.serverKey}`);
      print(`CA fingerprint (SHA-256): ${fingerprintOf(authority.certificate)}`);
      print(`CRL for a reverse proxy: ${paths.crl}`);
      print('For native TLS, add to the configuration:');
      print(`  "TLS": {"CERT": "${paths.serverCert}", "KEY": "${paths.serverKey}", "CA": "${paths.caCert}"}`);
    },
  });

  const issue = defineCommand({
    meta: {
      name: 'issue',
      description:
        'Make a key and a client certificate for a host (prefer enrollment: keys stay on the host)',
    },
    args: {
      ...options.commonArgs,
      fqdn: { type: 'positional', description: 'The host name: the certificate CN', required: true },
      out: {
        type: 'string',
        description: 'Folder to write FQDN.key and FQDN.crt into (default: the current one)',
      },
    },
    async run({ args }) {
      const fqdn = requireHostName(String(args.fqdn));
      const config = options.readConfig(args);
      const authority = await requireAuthority(pkiPaths(config.pkiDir));
      // Made before anything is signed: a folder that cannot be written must not leave a recorded
      // certificate whose key was never written anywhere.
      const out = resolve(String(args.out ?? '.'));
      mkdirSync(out, { recursive: true, mode: 0o700 });
      const keys = await generateKeyPair();
      const signed = await signCertificate(authority, { commonName: fqdn, publicKey: keys.publicKey });
      await options.withDatabase(config, (database) => recordCertificate(database, signed, 'command'));
      writePrivateFile(join(out, `${fqdn}.key`), await exportPrivateKeyPem(keys.privateKey));
      writePublicFile(join(out, `${fqdn}.crt`), signed.pem);
      print(
        `Wrote ${join(out, `${fqdn}.key`)} and ${join(out, `${fqdn}.crt`)} (serial ${signed.serial}, valid until ${signed.notAfter.toISOString()})`,
      );
      print(`The CA that verifies it: ${pkiPaths(config.pkiDir).caCert}`);
    },
  });

  const revoke = defineCommand({
    meta: {
      name: 'revoke',
      description: "Revoke a host's certificates, or one certificate by serial, and rewrite crl.pem",
    },
    args: {
      ...options.commonArgs,
      fqdn: {
        type: 'positional',
        description:
          'The host name (certificate CN: all its valid certificates), or a serial as pki list prints it (that one)',
        required: true,
      },
    },
    async run({ args }) {
      const target = String(args.fqdn);
      const config = options.readConfig(args);
      const paths = pkiPaths(config.pkiDir);
      const authority = await requireAuthority(paths);
      await options.withDatabase(config, async (database) => {
        const serial = parseSerial(target);
        let serials = serial ? await revokeCertificates(database, { serial }) : [];
        const what = serials.length > 0 ? `with serial ${serial}` : `of ${target}`;
        if (serials.length === 0) serials = await revokeCertificates(database, { commonName: target });
        if (serials.length === 0) {
          throw new OperatorError(
            serial
              ? `No valid certificate with serial ${serial} or CN '${target}' was issued here`
              : `No valid certificate of '${target}' was issued here`,
          );
        }
        const total = await refreshCrl(authority, paths, database);
        print(`Revoked ${serials.length} certificate(s) ${what}: ${serials.join(', ')}`);
        print(
          `Wrote ${paths.crl} (${total} revoked); the native TLS listener refuses them within seconds, a proxy once it reloads the CRL`,
        );
      });
    },
  });

  const crl = defineCommand({
    meta: {
      name: 'crl',
      description: 'Rewrite crl.pem from the recorded revocations (it is valid for a year)',
    },
    args: options.commonArgs,
    async run({ args }) {
      const config = options.readConfig(args);
      const paths = pkiPaths(config.pkiDir);
      const authority = await requireAuthority(paths);
      const total = await options.withDatabase(config, (database) => refreshCrl(authority, paths, database));
      print(`Wrote ${paths.crl} (${total} revoked)`);
    },
  });

  const list = defineCommand({
    meta: { name: 'list', description: 'List the certificates the CA issued' },
    args: options.commonArgs,
    async run({ args }) {
      const config = options.readConfig(args);
      const rows = await options.withDatabase(config, listIssuedCertificates);
      const now = Date.now();
      printTable(
        print,
        ['CN', 'SERIAL', 'NOT-AFTER', 'ORIGIN', 'STATUS'],
        rows.map((row) => [
          row.commonName,
          row.serial,
          row.notAfter.toISOString(),
          row.origin,
          row.revoked
            ? `revoked ${row.revoked.toISOString()}`
            : row.notAfter.getTime() < now
              ? 'expired'
              : 'valid',
        ]),
      );
    },
  });

  return defineCommand({
    meta: { name: 'pki', description: 'The built-in CA: init, issue, revoke, crl, list' },
    subCommands: { init, issue, revoke, crl, list },
  });
}
