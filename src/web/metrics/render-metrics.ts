/**
 * The text of /metrics (docs/reboot.md, "Metrics"). The fleet part (per-host gauges and liveness
 * counts) is rendered from one scan of the host rows and kept for METRICS_MAX_AGE_MS, served while a
 * newer one is built; the ingest counters are read live.
 */
import type { Config } from '../../config/schema.ts';
import type { Database } from '../../db/open-database.ts';
import { KERNEL_STATES } from '../../domain/kernel-state.ts';
import { formatFamily, type Labels } from '../../lib/prometheus-text.ts';
import { VERSION } from '../../lib/version.ts';
import { pauseIfBusy } from '../../lib/yield.ts';
import { readFleetHealth } from '../../store/read/fleet-health.ts';
import { readHostMetrics } from '../../store/read/host-metrics.ts';
import type { Store } from '../../store/store.ts';
import type { ExpectedHosts } from '../fleet/expected-hosts.ts';
import { cutoffsAt } from '../fleet/liveness-settings.ts';
import type { IngestMetrics } from './ingest-metrics.ts';

export const METRICS_MAX_AGE_MS = 15_000;

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Renders the fleet part: per-host gauges (a handful of series per host, none per package) and the fleet counts. */
export async function renderFleetMetrics(
  store: Store,
  config: Config,
  expectedHosts: ExpectedHosts,
): Promise<string> {
  const now = new Date();
  const expected = config.EXPECTED_HOSTS_FILE ? await expectedHosts.names() : null;
  const [rows, fleet] = await Promise.all([
    readHostMetrics(store.database),
    readFleetHealth(store.database, cutoffsAt(config, now), expected),
  ]);
  const host = (name: string): Labels => ({ host: name });
  // One family at a time with a turn of the event loop between them where the work ran long: the
  // per-host families of 10,000 hosts take tens of ms each to format.
  const families: (() => string)[] = [
    () =>
      formatFamily(
        'debmonitor_host_upgrades_pending',
        'gauge',
        'Pending package upgrades of a host by class (security or other); the classes sum to the total.',
        rows.flatMap((r): [Labels, number][] => [
          [{ host: r.name, class: 'security' }, r.securityCount],
          [{ host: r.name, class: 'other' }, r.upgradeCount - r.securityCount],
        ]),
      ),
    () =>
      formatFamily(
        'debmonitor_host_reboot_required',
        'gauge',
        'Whether a host must reboot (kernel state, /run/reboot-required or needrestart), as node_reboot_required.',
        rows.map((r): [Labels, number] => [host(r.name), r.rebootRequired]),
      ),
    () =>
      formatFamily(
        'debmonitor_host_kernel_state',
        'gauge',
        "A host's kernel state in needrestart's terms: 1 on the current state, 0 on the others.",
        rows.flatMap((r) =>
          KERNEL_STATES.map((state, code): [Labels, number] => [
            { host: r.name, state },
            r.kernelState === code ? 1 : 0,
          ]),
        ),
      ),
    () =>
      formatFamily(
        'debmonitor_host_last_report_timestamp_seconds',
        'gauge',
        'When a host last reported (any report).',
        rows.map((r): [Labels, number] => [host(r.name), seconds(r.modified)]),
      ),
    () =>
      formatFamily(
        'debmonitor_host_last_full_report_timestamp_seconds',
        'gauge',
        'When a host last sent a full report.',
        rows.flatMap((r): [Labels, number][] =>
          r.lastFullReport ? [[host(r.name), seconds(r.lastFullReport)]] : [],
        ),
      ),
    () =>
      formatFamily(
        'debmonitor_host_boot_timestamp_seconds',
        'gauge',
        'When a host booted, as its agent reported.',
        rows.flatMap((r): [Labels, number][] => (r.bootTime ? [[host(r.name), seconds(r.bootTime)]] : [])),
      ),
    () =>
      formatFamily(
        'debmonitor_host_reboot_pending_since_timestamp_seconds',
        'gauge',
        'Since when a host must reboot; present only while it must.',
        rows.flatMap((r): [Labels, number][] =>
          r.rebootRequiredSince ? [[host(r.name), seconds(r.rebootRequiredSince)]] : [],
        ),
      ),
    () =>
      formatFamily(
        'debmonitor_host_services_needing_restart',
        'gauge',
        'Services needrestart says run outdated binaries or libraries; present when the agent ran needrestart.',
        rows.flatMap((r): [Labels, number][] =>
          r.restartServiceCount === null ? [] : [[host(r.name), r.restartServiceCount]],
        ),
      ),
    () =>
      formatFamily(
        'debmonitor_hosts',
        'gauge',
        `Hosts by liveness state (stale: no full report for ${config.STALE_AFTER_HOURS} h; silent: no report for ${config.SILENT_AFTER_DAYS} days).`,
        [
          [{ state: 'reporting' }, fleet.reporting],
          [{ state: 'stale' }, fleet.stale],
          [{ state: 'silent' }, fleet.silent],
          ...(fleet.neverReported === null
            ? []
            : [[{ state: 'never_reported' }, fleet.neverReported] as [Labels, number]]),
        ],
      ),
    () =>
      formatFamily('debmonitor_hosts_reboot_required', 'gauge', 'Hosts that must reboot.', [
        [{}, fleet.rebootRequired],
      ]),
    () =>
      formatFamily(
        'debmonitor_metrics_snapshot_timestamp_seconds',
        'gauge',
        `When the fleet figures above were computed (cached for up to ${METRICS_MAX_AGE_MS / 1000} s).`,
        [[{}, seconds(now)]],
      ),
  ];
  const parts: string[] = [];
  for (const family of families) {
    parts.push(family());
    await pauseIfBusy();
  }
  return parts.join('');
}

/** The ingest counters, the database's connections and the build info, live. */
export function renderProcessMetrics(metrics: IngestMetrics, database: Database): string {
  const activity = database.activity();
  return [
    formatFamily(
      'debmonitor_reports_received_total',
      'counter',
      'Reports this process answered, by owner kind, update type and result (ok, rejected, failed).',
      metrics.reports.samples(),
    ),
    formatFamily(
      'debmonitor_report_processing_seconds',
      'histogram',
      'Time to answer a report, by owner kind and update type.',
      metrics.seconds.samples(),
    ),
    formatFamily(
      'debmonitor_database_connections',
      'gauge',
      "This process's database connections, open and at work.",
      [
        [{ state: 'open' }, activity.open],
        [{ state: 'in_use' }, activity.inUse],
      ],
    ),
    formatFamily(
      'debmonitor_database_connections_max',
      'gauge',
      'The most database connections this process may open.',
      [[{}, activity.max]],
    ),
    activity.waiting === null
      ? ''
      : formatFamily(
          'debmonitor_database_writers_waiting',
          'gauge',
          'SQLite: writers queued behind the running write transaction.',
          [[{}, activity.waiting]],
        ),
    activity.queuedTotal === null
      ? ''
      : formatFamily(
          'debmonitor_database_connection_waits_total',
          'counter',
          'MySQL: requests that had to wait for a free pooled connection.',
          [[{}, activity.queuedTotal]],
        ),
    formatFamily('debmonitor_build_info', 'gauge', 'The server version.', [[{ version: VERSION }, 1]]),
  ].join('');
}

/** The fleet part, rendered at most every METRICS_MAX_AGE_MS; an older one is served while a newer one is built. */
export function createFleetMetricsCache(build: () => Promise<string>): () => Promise<string> {
  let current: { text: string; at: number } | null = null;
  let building: Promise<string> | null = null;
  const refresh = () => {
    building ??= build()
      .then((text) => {
        current = { text, at: Date.now() };
        return text;
      })
      .finally(() => {
        building = null;
      });
    return building;
  };
  return async () => {
    if (!current) return refresh();
    if (Date.now() - current.at > METRICS_MAX_AGE_MS) refresh().catch(() => {});
    return current.text;
  };
}
