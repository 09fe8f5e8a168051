/**
 * Certificates the built-in CA signed (serial, CN, expiry, origin) and their revocation. The native
 * TLS listener refuses revoked serials (web/pki/revocations.ts); `pki revoke` also writes a CRL.
 */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/open-database.ts';
import { sqlNames } from '../../db/sql-names.ts';

export type CertificateOrigin = 'enrollment' | 'renewal' | 'command';

export interface NewIssuedCertificate {
  serial: string;
  commonName: string;
  notAfter: Date;
}

export interface IssuedCertificateRecord extends NewIssuedCertificate {
  origin: string;
  created: Date;
  revoked: Date | null;
}

async function insertCertificate(
  tx: Transaction,
  database: Database,
  certificate: NewIssuedCertificate,
  origin: CertificateOrigin,
  now: Date,
): Promise<void> {
  await tx.db
    .insert(database.tables.issuedCertificates)
    .values({ ...certificate, origin, created: now, revoked: null });
}

/** Records a certificate signed without a token (renewal, `pki issue`). */
export async function recordCertificate(
  database: Database,
  certificate: NewIssuedCertificate,
  origin: CertificateOrigin,
  now = new Date(),
): Promise<void> {
  await database.transaction((tx) => insertCertificate(tx, database, certificate, origin, now));
}

/**
 * Takes one use of the token and records the certificate, in one transaction: false, and nothing
 * recorded, when the token has no use left or has expired by now. The conditional update locks the
 * token's row, so of two hosts racing for its last use exactly one gets it, on any number of instances.
 */
export async function recordEnrolledCertificate(
  database: Database,
  tokenHash: string,
  certificate: NewIssuedCertificate,
  now = new Date(),
): Promise<boolean> {
  const t = sqlNames(database.tables.enrollTokens);
  return database.transaction(async (tx) => {
    const taken = await tx.sql.run(
      `UPDATE ${t.$table} SET ${t.usesLeft} = ${t.usesLeft} - 1 WHERE ${t.tokenHash} = ? AND ${t.usesLeft} > 0 AND ${t.expires} > ?`,
      [tokenHash, database.spelling.timestampParam(now)],
    );
    if (taken !== 1) return false;
    await insertCertificate(tx, database, certificate, 'enrollment', now);
    return true;
  });
}

/** Revokes every good certificate of a CN (or the one with `serial`); returns the serials revoked. */
export async function revokeCertificates(
  database: Database,
  which: { commonName: string } | { serial: string },
  now = new Date(),
): Promise<string[]> {
  const { issuedCertificates: c } = database.tables;
  const match = 'serial' in which ? eq(c.serial, which.serial) : eq(c.commonName, which.commonName);
  return database.transaction(async (tx) => {
    const rows = await tx.db
      .select({ serial: c.serial })
      .from(c)
      .where(and(match, isNull(c.revoked)));
    if (rows.length === 0) return [];
    await tx.db
      .update(c)
      .set({ revoked: now })
      .where(and(match, isNull(c.revoked)));
    return rows.map((row) => row.serial);
  });
}

/** Every revoked certificate's serial and revocation time, for the CRL and the TLS listener. */
export async function listRevokedCertificates(
  database: Database,
): Promise<{ serial: string; revoked: Date }[]> {
  const { issuedCertificates: c } = database.tables;
  const rows = await database.db
    .select({ serial: c.serial, revoked: c.revoked })
    .from(c)
    .where(isNotNull(c.revoked))
    .orderBy(asc(c.id));
  return rows.map((row) => ({ serial: row.serial, revoked: row.revoked ?? new Date(0) }));
}

/** The certificate with this serial, when this CA issued it. */
export async function findCertificate(
  database: Database,
  serial: string,
): Promise<IssuedCertificateRecord | null> {
  const { issuedCertificates: c } = database.tables;
  const [row] = await database.db
    .select(recordColumns(database))
    .from(c)
    .where(eq(c.serial, serial))
    .limit(1);
  return row ?? null;
}

/** Every certificate issued, oldest first (for `pki list`). */
export async function listIssuedCertificates(database: Database): Promise<IssuedCertificateRecord[]> {
  const { issuedCertificates: c } = database.tables;
  return database.db.select(recordColumns(database)).from(c).orderBy(asc(c.id));
}

/** The columns of an IssuedCertificateRecord. */
function recordColumns(database: Database) {
  const { issuedCertificates: c } = database.tables;
  return {
    serial: c.serial,
    commonName: c.commonName,
    notAfter: c.notAfter,
    origin: c.origin,
    created: c.created,
    revoked: c.revoked,
  };
}
