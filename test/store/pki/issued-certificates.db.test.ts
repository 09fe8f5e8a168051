/** Token uses and revocations in the database, on both dialects. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sha256Hex } from '../../../src/lib/tokens.ts';
import { findEnrollToken } from '../../../src/store/pki/enroll-tokens.ts';
import {
  listIssuedCertificates,
  listRevokedCertificates,
  recordCertificate,
  recordEnrolledCertificate,
  revokeCertificates,
} from '../../../src/store/pki/issued-certificates.ts';
import { createRevocationSnapshot } from '../../../src/store/pki/revocation-snapshot.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import { addToken } from '../../helpers/pki.ts';

const YEAR = new Date(Date.now() + 365 * 86_400_000);
let serials = 0;
const certificate = (commonName: string) => ({
  serial: `4${(serials++).toString(16).padStart(31, '0')}`,
  commonName,
  notAfter: YEAR,
});

for (const kind of DIALECTS) {
  describe(`issued certificates (${kind})`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(() => t.drop());

    test('of many writers racing for a token of N uses, exactly N record a certificate', async () => {
      const token = await addToken(t.database, { uses: 2 });
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          recordEnrolledCertificate(t.database, sha256Hex(token), certificate(`race${n}.example.org`)),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(2);
      const recorded = (await listIssuedCertificates(t.database)).filter((row) =>
        row.commonName.startsWith('race'),
      );
      expect(recorded).toHaveLength(2);
      expect((await findEnrollToken(t.database, sha256Hex(token)))?.usesLeft).toBe(0);
    });

    test('an expired token records nothing', async () => {
      const token = await addToken(t.database, { expires: new Date(Date.now() - 1000) });
      expect(
        await recordEnrolledCertificate(t.database, sha256Hex(token), certificate('late.example.org')),
      ).toBe(false);
      expect((await listIssuedCertificates(t.database)).map((row) => row.commonName)).not.toContain(
        'late.example.org',
      );
    });

    test('revoking a CN revokes its good certificates once, and the snapshot sees it', async () => {
      const first = certificate('gone.example.org');
      const second = certificate('gone.example.org');
      await recordCertificate(t.database, first, 'command');
      await recordCertificate(t.database, second, 'renewal');
      const snapshot = createRevocationSnapshot(t.database, 0);
      expect(await snapshot.isRevoked(first.serial)).toBe(false);
      expect((await revokeCertificates(t.database, { commonName: 'gone.example.org' })).sort()).toEqual(
        [first.serial, second.serial].sort(),
      );
      expect(await revokeCertificates(t.database, { commonName: 'gone.example.org' })).toEqual([]);
      expect(await snapshot.isRevoked(first.serial)).toBe(true);
      expect((await listRevokedCertificates(t.database)).map((row) => row.serial)).toContain(second.serial);
    });
  });
}
