/**
 * Partial reports load only the rows they name and move the host counters by what they changed:
 * after any mix of report types, the rows equal the model (the diff applied to every row) and the
 * counters equal a recount.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { diffReport, type RecordedPackage } from '../../src/domain/report-diff.ts';
import type { HostReport } from '../../src/protocol/report.ts';
import { applyHostReport } from '../../src/store/host-reports.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type PackageTuple, readOwnerState } from '../helpers/package-state.ts';

const UPDATE_TYPES = ['full', 'dpkg_hook', 'upgradable', 'partial'] as const;
const TYPES = ['security', '', null, undefined] as const;

/** A small deterministic generator, so that a failure can be replayed. */
function createRandom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return { int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}

function randomReport(random: ReturnType<typeof createRandom>, host: string): HostReport {
  const updateType = UPDATE_TYPES[random.int(UPDATE_TYPES.length)] as string;
  const size = updateType === 'full' ? 10 + random.int(30) : random.int(6);
  const pkg = () => `pkg${random.int(40)}`;
  const version = () => `1.${random.int(4)}`;
  const report: HostReport = {
    hostname: host,
    os: 'Debian 12',
    running_kernel: { release: 'r', version: 'k1' },
    update_type: updateType,
    installed: [],
    uninstalled: [],
    upgradable: [],
  };
  if (updateType !== 'upgradable') {
    report.installed = Array.from({ length: size }, () => {
      const name = pkg();
      return { name, version: version(), source: `src-${name}` };
    });
    report.uninstalled = Array.from({ length: random.int(3) }, () => ({ name: pkg() }));
  }
  report.upgradable = Array.from({ length: random.int(updateType === 'full' ? 6 : 3) }, () => {
    const name = pkg();
    const type = TYPES[random.int(TYPES.length)];
    return {
      name,
      version_from: version(),
      version_to: random.chance(0.2) ? '1.0' : `2.${random.int(3)}`,
      source: `src-${name}`,
      ...(type === undefined ? {} : { type }),
    };
  });
  return report;
}

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
        const outcome = await applyHostReport(t.database, report);
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
