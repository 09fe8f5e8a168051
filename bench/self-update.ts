#!/usr/bin/env bun
/**
 * Self-update costs (issue 7 "Speed"): builds the server and the agent (src/agent.ts, or the test
 * stand-in before it exists) for this machine, serves the agent through the server binary behind a
 * TLS front, and measures
 *   1. the wall time an agent run gains from `--update` when nothing changed (one HEAD request over
 *      a new TLS connection): runs with and without the flag, interleaved;
 *   2. the bytes of a download with and without gzip, from the build's .gz and from the server's own
 *      compression;
 *   3. the check of a downloaded binary (ELF header, then `--self-test`) beside the `--version` run
 *      it replaced, and a run's sweep for killed updates' files in a directory of 2,000 entries.
 * Usage: bun bench/self-update.ts [--runs N]
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBinary, getNativeArch, SERVER_ENTRY, writeCompressedCopy } from '../scripts/build.ts';
import { checkElfExecutable } from '../src/agent/elf-check.ts';
import { checkNewExecutable, removeStaleUpdateFiles } from '../src/agent/self-update-install.ts';
import { getAgentFileName } from '../src/lib/agent-arch.ts';
import { TEST_AGENT_ENTRY } from '../test/helpers/binaries.ts';
import { startServerProcess } from '../test/helpers/server-process.ts';
import { createTestCertificates, startTlsFront } from '../test/helpers/tls-front.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const runs = Number(values.runs);
const root = mkdtempSync(join(tmpdir(), 'debmonitor-bench-update-'));
const arch = getNativeArch();
const agent = join(root, 'dist', 'agents', getAgentFileName(arch));

try {
  await buildBinary({
    entry: SERVER_ENTRY,
    outfile: join(root, 'dist', 'debmonitor-server'),
    version: '1.0.0',
  });
  await buildBinary({ entry: TEST_AGENT_ENTRY, outfile: agent, version: '1.0.0' });
  for (const dir of ['tls', 'etc', 'run', 'host']) mkdirSync(join(root, dir));
  const certificates = createTestCertificates(join(root, 'tls'));
  writeFileSync(
    join(root, 'etc', 'config.json'),
    JSON.stringify({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false }),
  );
  const server = await startServerProcess({
    command: [join(root, 'dist', 'debmonitor-server')],
    cwd: join(root, 'run'),
    args: ['--config', join(root, 'etc', 'config.json')],
  });
  const front = await startTlsFront({ certificates, target: server.url });
  try {
    const installed = join(root, 'host', 'debmonitor');
    copyFileSync(agent, installed);
    const base = [installed, '--config', '/dev/null', '-s', 'localhost', '-p', String(front.port)];
    const withCa = [...base, '--ca', certificates.caPath];
    // Dry-run for both so a real agent does not report: the difference is the update check alone.
    const plain = TEST_AGENT_ENTRY.endsWith('src/agent.ts') ? [...withCa, '-n'] : withCa;
    // Asynchronous: the TLS front runs in this process and must answer while the agent waits.
    const timeRun = async (command: string[]) => {
      const start = performance.now();
      const exitCode = await Bun.spawn(command, { stdout: 'ignore', stderr: 'ignore' }).exited;
      if (exitCode !== 0) throw new Error(`${command.join(' ')} exited ${exitCode}`);
      return performance.now() - start;
    };
    await timeRun(plain);
    await timeRun([...withCa, '--update']);
    front.seen.length = 0;
    const without: number[] = [];
    const withUpdate: number[] = [];
    for (let i = 0; i < runs; i++) {
      without.push(await timeRun(plain));
      withUpdate.push(await timeRun([...withCa, '--update']));
    }
    const heads = front.seen.filter((r) => r.method === 'HEAD').length;
    const gets = front.seen.filter((r) => r.method === 'GET').length;

    const size = async (headers: Record<string, string>) =>
      (
        await (
          await fetch(`${server.url}/client`, { headers, decompress: false } as BunFetchRequestInit)
        ).arrayBuffer()
      ).byteLength;
    const identity = await size({ 'Accept-Encoding': 'identity' });
    let start = performance.now();
    const serverGzip = await size({ 'Accept-Encoding': 'gzip' });
    const firstGzipMs = performance.now() - start;
    start = performance.now();
    await size({ 'Accept-Encoding': 'gzip' });
    const cachedGzipMs = performance.now() - start;
    await writeCompressedCopy(agent, 9);
    const buildGzip = await size({ 'Accept-Encoding': 'gzip' });

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model}, Bun ${Bun.version}, agent ${TEST_AGENT_ENTRY}`,
    );
    console.log(`runs: ${runs} each; HEAD requests seen ${heads}, GET ${gets}`);
    console.log(
      `agent run without --update: median ${median(without).toFixed(1)} ms, p95 ${p95(without).toFixed(1)} ms`,
    );
    console.log(
      `agent run with --update:    median ${median(withUpdate).toFixed(1)} ms, p95 ${p95(withUpdate).toFixed(1)} ms`,
    );
    console.log(`added by the check: median ${(median(withUpdate) - median(without)).toFixed(1)} ms`);
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    console.log(`download: identity ${mib(identity)}`);
    console.log(
      `  server gzip (level 6, first request ${firstGzipMs.toFixed(0)} ms, cached ${cachedGzipMs.toFixed(0)} ms): ${mib(serverGzip)}, ratio ${(identity / serverGzip).toFixed(2)}`,
    );
    console.log(`  build .gz (level 9): ${mib(buildGzip)}, ratio ${(identity / buildGzip).toFixed(2)}`);

    const elf: number[] = [];
    const selfTest: number[] = [];
    const versionOnly: number[] = [];
    const sweep: number[] = [];
    const crowded = join(root, 'crowded');
    mkdirSync(crowded);
    for (let i = 0; i < 2000; i++) writeFileSync(join(crowded, `tool-${i}`), '');
    writeFileSync(join(crowded, 'debmonitor'), '');
    const time = async (samples: number[], work: () => Promise<unknown>) => {
      const start = performance.now();
      await work();
      samples.push(performance.now() - start);
    };
    for (let i = 0; i < runs; i++) {
      await time(elf, () => checkElfExecutable(agent));
      await time(selfTest, () => checkNewExecutable(agent, '1.0.0'));
      await time(versionOnly, () => Bun.spawn([agent, '--version'], { stdout: 'ignore' }).exited);
      await time(sweep, () => removeStaleUpdateFiles(join(crowded, 'debmonitor')));
    }
    const ms = (xs: number[]) => `median ${median(xs).toFixed(2)} ms, p95 ${p95(xs).toFixed(2)} ms`;
    console.log(`check of a new binary: ELF header ${ms(elf)}`);
    console.log(`  ELF header and --self-test: ${ms(selfTest)}`);
    console.log(`  --version alone (the former check): ${ms(versionOnly)}`);
    console.log(`sweep for killed updates' files, 2,001 entries: ${ms(sweep)}`);
  } finally {
    await front.stop();
    await server.stop();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
