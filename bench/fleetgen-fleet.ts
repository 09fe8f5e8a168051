/**
 * A fleetgen fleet (../shared/bench/fleetgen.mjs, real Debian 12 packages) loaded through the real
 * ingest path in-process, for bench/pages.ts `--fleet fleetgen`: each full report is parsed and
 * validated as `POST /hosts/<name>/update` does, then applied with applyHostReport, `concurrency`
 * at a time. Images (the first 200 hosts' first 300 packages) and Kubernetes rows go through their
 * own ingest functions. While loading, it notes which package names make telling detail pages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as v from 'valibot';
import type { Database } from '../src/db/open-database.ts';
import { parseHostReport } from '../src/protocol/parse-host-report.ts';
import { ImageReportSchema } from '../src/protocol/report.ts';
import { applyHostReport } from '../src/store/ingest/host-reports.ts';
import { applyImageReport } from '../src/store/ingest/image-reports.ts';
import { applyKubernetesReport } from '../src/store/ingest/kubernetes-reports.ts';
import { createStore, type Store } from '../src/store/store.ts';

const SHARED = join(import.meta.dir, '../../shared/bench');
const IMAGES = 200;
const IMAGE_PACKAGES = 300;

export interface FleetgenOptions {
  hosts: number;
  packages: number;
  /** Reports applied at once (MariaDB); SQLite applies one at a time whatever this says. */
  concurrency: number;
  /** Keep the bodies of this many first full reports (by host name) for `--report-rate`. */
  keepFullReports?: number;
}

/** Real names from the loaded fleet for the timed pages. */
export interface FleetPicks {
  /** The package on the most hosts (every host, in a fleetgen fleet). */
  everyHost: string;
  everyHostSource: string;
  everyHostVersion: string;
  /** The package with the most distinct installed versions. */
  mostVersions: string;
  /** The package with the most pending security upgrades. */
  security: string;
  sampleHost: string;
  image: string;
  /** The first `keepFullReports` full report bodies, by host name. */
  fullReports: Map<string, string>;
}

/** fleetgen's payloads for `phase`, one per line, produced as they are read. */
export function streamFleetgen(phase: 'full' | 'steady', options: FleetgenOptions) {
  const child: ChildProcess = spawn(
    'node',
    [
      join(SHARED, 'fleetgen.mjs'),
      '--catalog',
      join(SHARED, 'catalog.json.gz'),
      '--hosts',
      String(options.hosts),
      '--packages',
      String(options.packages),
      '--upgradable',
      '30',
      '--seed',
      '1',
      '--with-type',
      '--phase',
      phase,
      '--ndjson',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  let queue: Promise<IteratorResult<string>> = Promise.resolve({ done: false, value: '' });
  return {
    /** The next payload, or null at the end; safe to call concurrently. */
    next(): Promise<string | null> {
      queue = queue.then(() => iterator.next());
      return queue.then((result) => (result.done ? null : result.value));
    },
    stop() {
      lines.close();
      if (child.exitCode === null && child.pid !== undefined) child.kill();
    },
  };
}

interface Item {
  name: string;
  version: string;
  source?: string;
}
interface Upgrade {
  name: string;
  type?: string | null;
}

/** Loads the fleet and returns the names the page list uses. */
export async function loadFleetgenFleet(database: Database, options: FleetgenOptions): Promise<FleetPicks> {
  const store = createStore(database);
  const stream = streamFleetgen('full', options);
  const installed = new Map<string, number>();
  const versions = new Map<string, Set<string>>();
  const sources = new Map<string, string>();
  const security = new Map<string, number>();
  const imageBases: { installed: Item[]; upgradable: Upgrade[] }[] = [];
  const hostNames: string[] = [];
  const kept = new Map<string, string>();
  const started = performance.now();
  let done = 0;
  const worker = async () => {
    for (let line = await stream.next(); line !== null; line = await stream.next()) {
      const value = JSON.parse(line) as Record<string, unknown>;
      const parsed = parseHostReport(value);
      if (!parsed.success) throw new Error(`fleetgen report rejected: ${parsed.message}`);
      const report = parsed.output;
      hostNames.push(report.hostname);
      for (const item of report.installed) {
        installed.set(item.name, (installed.get(item.name) ?? 0) + 1);
        const set = versions.get(item.name) ?? new Set<string>();
        versions.set(item.name, set.add(item.version));
        if (item.source && !sources.has(item.name)) sources.set(item.name, item.source);
      }
      for (const item of report.upgradable)
        if (item.type === 'security') security.set(item.name, (security.get(item.name) ?? 0) + 1);
      if (imageBases.length < IMAGES) {
        const base = report.installed.slice(0, IMAGE_PACKAGES);
        const names = new Set(base.map((item) => item.name));
        imageBases.push({ installed: base, upgradable: report.upgradable.filter((u) => names.has(u.name)) });
      }
      if (kept.size < (options.keepFullReports ?? 0)) kept.set(report.hostname, line);
      await applyHostReport(store, report);
      done++;
      if (done % 500 === 0 || done === options.hosts) {
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write(
          `hosts ${done}/${options.hosts} in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(1)} reports/s)\n`,
        );
      }
    }
  };
  try {
    const workers = database.kind === 'sqlite' ? 1 : options.concurrency;
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    stream.stop();
  }
  const imageNames = await loadImages(store, imageBases);
  const most = <K>(map: Map<K, number>) =>
    [...map].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))[0]?.[0];
  const everyHost = most(installed) ?? '';
  const byVersions = new Map([...versions].map(([name, set]) => [name, set.size]));
  hostNames.sort();
  return {
    everyHost,
    everyHostSource: sources.get(everyHost) ?? everyHost,
    everyHostVersion: [...(versions.get(everyHost) ?? [])][0] ?? '',
    mostVersions: most(byVersions) ?? '',
    security: most(security) ?? '',
    sampleHost: hostNames[Math.floor(hostNames.length / 2)] ?? '',
    image: imageNames[7] ?? imageNames[0] ?? '',
    fullReports: kept,
  };
}

/** 200 images of 300 packages each, and 300 Kubernetes rows over 3 clusters. */
async function loadImages(
  store: Store,
  bases: { installed: Item[]; upgradable: Upgrade[] }[],
): Promise<string[]> {
  const names: string[] = [];
  for (const [index, base] of bases.entries()) {
    const name = `docker-registry.example.net/team/service-${index}:2024.${index}`;
    const parsed = v.safeParse(ImageReportSchema, {
      image_name: name,
      os: 'Debian 12',
      update_type: 'full',
      installed: base.installed,
      upgradable: base.upgradable,
    });
    if (!parsed.success) throw new Error(`image report rejected: ${parsed.issues[0]?.message}`);
    await applyImageReport(store, parsed.output);
    names.push(name);
  }
  for (let cluster = 0; cluster < 3; cluster++) {
    const images: Record<string, Record<string, number>> = {};
    for (let k = 0; k < 100; k++) {
      const name = names[(cluster * 67 + k) % names.length];
      if (name) images[name] = { [`namespace-${k % 25}`]: 1 + (k % 7) };
    }
    await applyKubernetesReport(store, `cluster-${cluster}`, images);
  }
  return names;
}
