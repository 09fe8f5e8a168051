import { describe, expect, test } from 'bun:test';
import { parseAptCacheShow } from '../../../src/agent/collect/apt-cache-sources.ts';
import type { SimulatedUpgrade } from '../../../src/agent/collect/apt-simulation.ts';
import { collectPackages, type PackageSources } from '../../../src/agent/collect/collect-packages.ts';
import { createLogger } from '../../../src/agent/log.ts';

const quiet = createLogger(false, () => {});

/** The simulated package database of spec/agent.md §8 (legacy's test data). */
const STATUS = [
  'Package: package1\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0.0-1\n',
  'Package: package21\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0.0-1\nSource: package2\n',
  'Package: package22\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0.0-1\nSource: package2 (1.0.0-1)\n',
  'Package: package3\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0.0-1\nSource: package31\n',
  'Package: package9\nStatus: purge ok not-installed\nArchitecture: all\n',
].join('\n');

const UPGRADES: SimulatedUpgrade[] = [
  {
    name: 'package1',
    installedVersion: '1.0.0-1',
    candidateVersion: '1.0.0-2',
    architecture: 'all',
    releases: ['Example:1/stable'],
  },
  {
    name: 'package3',
    installedVersion: '1.0.0-1',
    candidateVersion: '1.0.0-2',
    architecture: 'all',
    releases: ['Example-Security:1/stable-security'],
  },
  // Not installed: an Inst line never has an installed version for it, but guard anyway.
  { name: 'package9', installedVersion: '-', candidateVersion: '1.0.0-2', architecture: 'all', releases: [] },
];

const CANDIDATES = [
  'Package: package1\nVersion: 1.0.0-2\nArchitecture: all\n',
  'Package: package3\nVersion: 1.0.0-2\nArchitecture: all\nSource: package32\n',
].join('\n');

/** Sources over the simulated database; `candidates` is what APT knows about candidate versions. */
function simulatedSources(status = STATUS, upgrades = UPGRADES, candidates = CANDIDATES): PackageSources {
  return {
    readStatus: async () => status,
    readNativeArchitecture: async () => 'amd64',
    simulateUpgrade: async () => upgrades,
    lookUpSources: async () => parseAptCacheShow(candidates),
  };
}

describe('collectPackages', () => {
  test('43. full mode lists the installed packages with their sources', async () => {
    const { installed } = await collectPackages(false, simulatedSources(), quiet);
    expect(installed).toEqual([
      { name: 'package1', version: '1.0.0-1', source: 'package1', source_version: '1.0.0-1' },
      { name: 'package21', version: '1.0.0-1', source: 'package2', source_version: '1.0.0-1' },
      { name: 'package22', version: '1.0.0-1', source: 'package2', source_version: '1.0.0-1' },
      { name: 'package3', version: '1.0.0-1', source: 'package31', source_version: '1.0.0-1' },
    ]);
  });
  test('43. upgrades carry the source of the candidate and the security type', async () => {
    const { upgradable } = await collectPackages(false, simulatedSources(), quiet);
    expect(upgradable).toEqual([
      { name: 'package1', version_from: '1.0.0-1', version_to: '1.0.0-2', source: 'package1', type: '' },
      {
        name: 'package3',
        version_from: '1.0.0-1',
        version_to: '1.0.0-2',
        source: 'package32',
        type: 'security',
      },
    ]);
  });
  test('44. upgradable mode sends no installed packages and the same upgrades', async () => {
    const packages = await collectPackages(true, simulatedSources(), quiet);
    expect(packages.installed).toEqual([]);
    expect(packages.upgradable.map((item) => item.name)).toEqual(['package1', 'package3']);
  });
  test('42. an empty database gives empty lists', async () => {
    expect(await collectPackages(false, simulatedSources('', []), quiet)).toEqual({
      installed: [],
      upgradable: [],
      kernelImages: [],
    });
  });
  test('a candidate APT cannot describe falls back to the installed source', async () => {
    const { upgradable } = await collectPackages(false, simulatedSources(STATUS, UPGRADES, ''), quiet);
    expect(upgradable.find((item) => item.name === 'package3')?.source).toBe('package31');
  });
  test('logs the counts legacy logged', async () => {
    const lines: string[] = [];
    await collectPackages(
      false,
      simulatedSources(),
      createLogger(false, (line) => lines.push(line)),
    );
    expect(lines).toEqual([
      'INFO:debmonitor:Found 4 installed binary packages\n',
      'INFO:debmonitor:Found 3 upgradable binary packages (including new dependencies)\n',
    ]);
  });
});
