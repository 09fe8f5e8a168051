/**
 * Partial reports load only the rows they name and move the host counters by what they changed:
 * after any mix of report types, the rows equal the model (the diff applied to every row) and the
 * counters equal a recount.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { diffReport, type RecordedPackage } from '../../src/domain/report-diff.ts';
import type { HostReport } from '../../src/protocol/report.ts';
import { applyHostReport } from '../../src/store/ingest/host-reports.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type PackageTuple, readOwnerState } from '../helpers/package-state.ts';
import { createRandom, randomReport } from '../helpers/random-reports.ts';

/** The model: the diff applied to every recorded row, as the state before partial loading was. */
function applyToModel(model: Map<string, RecordedPackage>, report: HostReport) {
  const diff = diffReport(model, report, { full: report.update_type === 'full', osChanged: false });
  for (const name of diff.removals) model.delete(name);
  for (const row of diff.writes) {
    model.set(row.name, {
      name: row.name,
      version: row.version,
      upgradeVersion: row.upgrade?.version ?? null,
      upgradeType: row.upgrade ? row.upgradeType : null,
    });
  }
}

function tuplesOf(model: Map<string, RecordedPackage>): PackageTuple[] {
  return [...model.values()]
    .map((row): PackageTuple => [row.name, row.version, row.upgradeVersion, row.upgradeType])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

for (const kind of DIALECTS) {
  describe(`host counters on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    });
    afterAll(async () => t?.drop());

    test('after random mixes of report types, rows match the model and counters a recount', async () => {
      const random = createRandom(kind === 'sqlite' ? 7 : 11);
      const hosts = ['mix1.example.com', 'mix2.example.com'];
      const models = new Map(hosts.map((host) => [host, new Map<string, RecordedPackage>()]));
      let partialReports = 0;
      for (let round = 0; round < 60; round++) {
        const host = hosts[random.int(hosts.length)] as string;
        const report = randomReport(random, host);
        const model = models.get(host) as Map<string, RecordedPackage>;
        applyToModel(model, report);
        const outcome = await applyHostReport(t.store, report);
        if (report.update_type !== 'full') partialReports++;
        const state = await readOwnerState(t.database, 'host', host);
        const rows = tuplesOf(model);
        expect({ round, rows: state?.rows }).toEqual({ round, rows });
        const upgrades = rows.filter((row) => row[2] !== null);
        const counts: [number, number, number] = [
          rows.length,
          upgrades.length,
          upgrades.filter((row) => row[3] === 'security').length,
        ];
        expect({ round, counts: state?.counts }).toEqual({ round, counts });
        expect([outcome.packages, outcome.upgradable]).toEqual(counts.slice(0, 2));
      }
      expect(partialReports).toBeGreaterThan(20);
    });
  });
}
