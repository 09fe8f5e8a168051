/**
 * Source versions as reports record them (docs/protocol.md, "Host reports"): the installed item's
 * `source_version` when the agent sends it, else the binary version without a binNMU suffix.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { parseHostReport } from '../../src/protocol/parse-host-report.ts';
import type { HostReport } from '../../src/protocol/report.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';

function report(installed: HostReport['installed'], update_type = 'full'): HostReport {
  const parsed = parseHostReport({
    hostname: 'h1.example.org',
    os: 'Debian 12',
    running_kernel: { release: '6.1.0-26-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1' },
    update_type,
    installed,
  });
  if (!parsed.success) throw new Error(parsed.message);
  return parsed.output;
}

for (const kind of DIALECTS) {
  describe(`source versions on ${kind}`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await createTestDatabase(kind);
    });
    afterEach(async () => t?.drop());

    async function sourceVersions(): Promise<string[]> {
      const { packages, packageVersions, srcPackageVersions, srcPackages } = t.database.tables;
      const rows = await t.database.sql.selectSql<{
        name: string;
        version: string;
        source: string;
        src: string;
      }>(
        sql`SELECT p.name, v.version, s.name AS source, sv.version AS src
          FROM ${packageVersions} v JOIN ${packages} p ON p.id = v.package_id
          JOIN ${srcPackageVersions} sv ON sv.id = v.src_package_version_id
          JOIN ${srcPackages} s ON s.id = sv.src_package_id`,
      );
      return rows.map((r) => `${r.name} ${r.version} -> ${r.source} ${r.src}`).sort();
    }

    test('a reported source version is recorded; without one the binNMU suffix is dropped', async () => {
      await applyHostReport(
        t.store,
        report([
          {
            name: 'libldb2',
            version: '2:2.6.2+samba4.17.12+dfsg-0+deb12u1',
            source: 'samba',
            source_version: '2:4.17.12+dfsg-0+deb12u1',
          },
          {
            name: 'linux-image-6.1.0-26-amd64',
            version: '6.1.112-1',
            source: 'linux-signed-amd64',
            source_version: '6.1.112+1',
          },
          { name: 'bash', version: '5.2.15-2+b7', source: 'bash' },
          { name: 'curl', version: '7.88.1-10+deb12u5', source: 'curl' },
        ]),
      );
      expect(await sourceVersions()).toEqual([
        'bash 5.2.15-2+b7 -> bash 5.2.15-2',
        'curl 7.88.1-10+deb12u5 -> curl 7.88.1-10+deb12u5',
        'libldb2 2:2.6.2+samba4.17.12+dfsg-0+deb12u1 -> samba 2:4.17.12+dfsg-0+deb12u1',
        'linux-image-6.1.0-26-amd64 6.1.112-1 -> linux-signed-amd64 6.1.112+1',
      ]);
    });

    test('a dpkg-hook report with source versions records them too', async () => {
      await applyHostReport(
        t.store,
        report(
          [{ name: 'libtar0', version: '1.34-1+b1', source: 'tar', source_version: '1.34-1' }],
          'dpkg_hook',
        ),
      );
      expect(await sourceVersions()).toEqual(['libtar0 1.34-1+b1 -> tar 1.34-1']);
    });
  });
}

describe('the report schema', () => {
  test('accepts source_version and refuses a wrong one', () => {
    expect(
      parseHostReport({
        ...baseBody(),
        installed: [{ name: 'a', version: '1', source: 'a', source_version: '1' }],
      }).success,
    ).toBe(true);
    const wrong = parseHostReport({
      ...baseBody(),
      installed: [{ name: 'a', version: '1', source_version: 3 }],
    });
    expect(wrong).toMatchObject({
      success: false,
      message: expect.stringContaining('installed[0].source_version'),
    });
  });
});

function baseBody() {
  return { hostname: 'h', os: 'Debian 12', running_kernel: { version: 'v' }, update_type: 'full' };
}
