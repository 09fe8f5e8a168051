/**
 * Agent cost on this machine (issue 4): a full run against `apt-get -s dist-upgrade` alone, measured
 * in the same run and interleaved; `-g` with 10 packages; peak RSS in every mode. The compiled agent
 * is what ships, so it is what runs here (dry run, `-n`: nothing is sent). Results go to stdout as
 * JSON and a markdown table.
 *
 *   bun bench/agent.ts [--runs 7]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AGENT_ENTRY, buildBinary } from '../scripts/build.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'debmonitor-bench-agent-'));
const agent = join(dir, 'debmonitor');
const FIXTURE = join(import.meta.dir, '../../shared/fixtures/debian12/dpkg-hook-v3-remove.txt');

interface Sample {
  ms: number;
  maxRssMb: number;
}

/**
 * Runs a command under GNU time for its peak RSS (KiB; on Linux it covers the processes the command
 * waited for, so an agent's figure includes the apt-get it ran).
 */
async function measure(command: string[], stdin?: string, env: Record<string, string> = {}): Promise<Sample> {
  const started = performance.now();
  const child = Bun.spawn(['/usr/bin/time', '-f', 'maxrss=%M', ...command], {
    stdin: stdin === undefined ? 'ignore' : new TextEncoder().encode(stdin),
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ...process.env, LC_ALL: 'C', DEBMONITOR_SPOOL_DIR: join(dir, 'spool'), ...env },
  });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command.join(' ')} exited ${code}: ${stderr}`);
  const maxRssKib = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { ms, maxRssMb: maxRssKib / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A protocol-3 hook feed removing ten installed packages (the header of a real capture). */
function buildHookFeed(): string {
  const capture = readFileSync(FIXTURE, 'utf8');
  const header = capture.slice(0, capture.indexOf('\n\n') + 2);
  // dpkg-query's own ${…} field syntax, not a template literal.
  const format = ['Package', 'Version', 'Architecture'].map((field) => `$\{${field}}`).join(' ');
  const installed = Bun.spawnSync(['dpkg-query', '-W', '-f', `${format}\n`])
    .stdout.toString()
    .trim()
    .split('\n')
    .slice(0, 10);
  const lines = installed.map((line) => {
    const [name, version, arch] = line.split(' ');
    return `${name} ${version} ${arch} same > - - none **REMOVE**`;
  });
  return `${header}${lines.join('\n')}\n`;
}

try {
  await buildBinary({ entry: AGENT_ENTRY, outfile: agent, version: '0.0.0-bench' });
  const base = [agent, '--config', '/dev/null', '-n'];
  const apt: Sample[] = [];
  const full: Sample[] = [];
  const upgradable: Sample[] = [];
  const hook: Sample[] = [];
  const feed = buildHookFeed();
  // Warm the page cache once, then interleave so both sides see the same machine load.
  await measure(['apt-get', '-s', '-q', 'dist-upgrade']);
  for (let run = 0; run < runs; run++) {
    apt.push(await measure(['apt-get', '-s', '-q', 'dist-upgrade']));
    full.push(await measure(base));
    upgradable.push(await measure([...base, '-u']));
    hook.push(await measure([...base, '-g'], feed));
  }
  // This machine's APT is Docker-tuned: no binary cache (docker-clean) and lz4-compressed package
  // lists (docker-gzip-indexes), so every apt call rebuilds its cache and every record lookup
  // decompresses. A stock Debian host keeps /var/cache/apt/pkgcache.bin and plain lists; the second
  // pass restores both, on copies of the lists and of apt.conf.d, without touching the machine's
  // configuration. APT reads APT_CONFIG first, then Dir::Etc::parts, so the
  // parts are pointed at a copy without Docker's files.
  const parts = join(dir, 'apt.conf.d');
  mkdirSync(parts);
  for (const name of readdirSync('/etc/apt/apt.conf.d')) {
    if (!name.startsWith('docker-')) copyFileSync(join('/etc/apt/apt.conf.d', name), join(parts, name));
  }
  const lists = join(dir, 'lists');
  mkdirSync(join(lists, 'partial'), { recursive: true });
  for (const name of readdirSync('/var/lib/apt/lists')) {
    const source = join('/var/lib/apt/lists', name);
    if (name.endsWith('.lz4')) Bun.spawnSync(['lz4', '-d', '-q', source, join(lists, name.slice(0, -4))]);
    else if (name.endsWith('InRelease') || name.endsWith('Release')) copyFileSync(source, join(lists, name));
  }
  const stockConfig = join(dir, 'stock-apt.conf');
  await Bun.write(
    stockConfig,
    [
      `Dir::Etc::parts "${parts}/";`,
      `Dir::State::lists "${lists}/";`,
      'Acquire::GzipIndexes "false";',
      `Dir::Cache::pkgcache "${join(dir, 'pkgcache.bin')}";`,
      `Dir::Cache::srcpkgcache "${join(dir, 'srcpkgcache.bin')}";`,
      '',
    ].join('\n'),
  );
  const stockEnv = { APT_CONFIG: stockConfig };
  const aptStock: Sample[] = [];
  const fullStock: Sample[] = [];
  await measure(['apt-get', '-s', '-q', 'dist-upgrade'], undefined, stockEnv);
  for (let run = 0; run < runs; run++) {
    aptStock.push(await measure(['apt-get', '-s', '-q', 'dist-upgrade'], undefined, stockEnv));
    fullStock.push(await measure(base, undefined, stockEnv));
  }
  const rows = [
    ['apt-get -s dist-upgrade alone', apt],
    ['agent full run (-n)', full],
    ['apt-get -s dist-upgrade alone, stock APT (binary cache, plain lists)', aptStock],
    ['agent full run (-n), stock APT (binary cache, plain lists)', fullStock],
    ['agent -u (-n)', upgradable],
    ['agent -g, 10 packages (-n)', hook],
  ] as const;
  const result = Object.fromEntries(
    rows.map(([label, samples]) => [
      label,
      {
        medianMs: Math.round(median(samples.map((s) => s.ms))),
        minMs: Math.round(Math.min(...samples.map((s) => s.ms))),
        peakRssMb: Math.round(Math.max(...samples.map((s) => s.maxRssMb))),
      },
    ]),
  );
  const overhead = median(full.map((s) => s.ms)) / median(apt.map((s) => s.ms)) - 1;
  const overheadStock = median(fullStock.map((s) => s.ms)) / median(aptStock.map((s) => s.ms)) - 1;
  console.log(
    JSON.stringify(
      {
        runs,
        result,
        fullRunOverheadPercent: Math.round(overhead * 100),
        fullRunOverheadPercentWithAptCache: Math.round(overheadStock * 100),
      },
      null,
      2,
    ),
  );
  console.log('\n| mode | median ms | min ms | peak RSS MB |\n|---|---|---|---|');
  for (const [label, stats] of Object.entries(result)) {
    console.log(`| ${label} | ${stats.medianMs} | ${stats.minMs} | ${stats.peakRssMb} |`);
  }
  console.log(
    `\nFull run costs ${Math.round(overhead * 100)}% more wall time than apt-get -s dist-upgrade alone.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
