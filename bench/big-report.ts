/** Synthetic host reports of any size, for bench/large.ts and bench/large-report-phases.ts. */

/** A full report listing `count` packages in all: installed, and every 50th of them upgradable. */
export function buildBigReport(host: string, count: number): string {
  const installed = [];
  const upgradable = [];
  const upgrades = Math.floor(count / 51);
  for (let i = 0; i < count - upgrades; i++) {
    const name = `bigpkg-${String(i).padStart(6, '0')}`;
    const source = `bigsrc-${String(i).padStart(6, '0')}`;
    installed.push({ name, version: `1.${i % 10}.0-1+deb12u1`, source });
    if (i % 50 === 0 && upgradable.length < upgrades) {
      upgradable.push({
        name,
        version_from: `1.${i % 10}.0-1+deb12u1`,
        version_to: `1.${i % 10}.0-1+deb12u2`,
        source,
        type: i % 100 === 0 ? 'security' : '',
      });
    }
  }
  return JSON.stringify({
    api_version: 'v1',
    hostname: host,
    os: 'Debian 12',
    running_kernel: { release: '6.1.0-18-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1' },
    update_type: 'full',
    installed,
    uninstalled: [],
    upgradable,
  });
}
