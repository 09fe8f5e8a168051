/**
 * A report of many new packages lets the event loop turn while it is applied (on SQLite its
 * statements pause every 20 ms; on MariaDB they wait for the server), and is applied whole.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseHostReport } from '../../src/protocol/parse-host-report.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { readOwnerState } from '../helpers/package-state.ts';

const PACKAGES = 20_000;

function bigReport() {
  const parsed = parseHostReport({
    hostname: 'big.example.org',
    os: 'Debian 12',
    running_kernel: { version: '#1 SMP Debian 6.1.76-1' },
    update_type: 'full',
    installed: Array.from({ length: PACKAGES }, (_, i) => ({
      name: `p${i}`,
      version: '1.0-1',
      source: `s${i}`,
    })),
  });
  if (!parsed.success) throw new Error(parsed.message);
  return parsed.output;
}

for (const kind of DIALECTS) {
  describe(`a ${PACKAGES}-package report on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(async () => t?.drop());

    test('the event loop turns while it is applied', async () => {
      let turns = 0;
      let applying = true;
      const tick = () => {
        turns++;
        if (applying) setImmediate(tick);
      };
      setImmediate(tick);
      await applyHostReport(t.store, bigReport());
      applying = false;
      // Without pauses the loop turned once or twice (the group commit's own turn); a cold report of
      // this size runs for far longer than five 20 ms slices on any machine.
      expect(turns).toBeGreaterThanOrEqual(5);
      expect((await readOwnerState(t.database, 'host', 'big.example.org'))?.counts).toEqual([PACKAGES, 0, 0]);
    });
  });
}
