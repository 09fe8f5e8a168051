/** Deterministic random host reports of every update type, for tests that compare with a recount. */
import type { HostReport, ImageReport } from '../../src/protocol/report.ts';

const UPDATE_TYPES = ['full', 'dpkg_hook', 'upgradable', 'partial'] as const;
const TYPES = ['security', '', null, undefined] as const;

export type Random = ReturnType<typeof createRandom>;

/** A small deterministic generator, so that a failure can be replayed. */
export function createRandom(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return { int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}

/** A random report for `host`: 40 package names, a few versions, every upgrade type. */
export function randomReport(random: Random, host: string): HostReport {
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

/** An image report with the lists of a host report. */
export function imageReportOf(report: HostReport, image: string): ImageReport {
  return {
    image_name: image,
    os: report.os,
    update_type: report.update_type,
    installed: report.installed,
    uninstalled: report.uninstalled,
    upgradable: report.upgradable,
  } as ImageReport;
}
