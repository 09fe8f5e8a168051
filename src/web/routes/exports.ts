/**
 * CSV and JSON exports of every list: `/export/<list>.csv|json` with the list's own query parameters
 * (filter, sort; paging is ignored: an export has every row). A separate path, so it can never be
 * mistaken for a host named `export.csv`, and no `Accept` negotiation: `Accept: application/json` on
 * the page URLs means an agent (docs/protocol.md, "JSON on page URLs").
 *
 * The body is streamed: the list is read a page at a time (src/store/read/keyset.ts), each page
 * written as the client takes it, with a turn of the event loop between pages, so a long export
 * neither holds other requests nor the whole list in memory. The bytes are those of the whole list
 * written at once.
 */
import { type Context, Hono } from 'hono';
import { kernelStateOf } from '../../domain/kernel-state.ts';
import { livenessOf } from '../../domain/liveness.ts';
import { formatCsv } from '../../lib/csv.ts';
import { parseId } from '../../lib/parse-id.ts';
import { yieldToEventLoop } from '../../lib/yield.ts';
import { findCve, pageCveOwners, pageCves } from '../../store/read/cves.ts';
import { pageChanges, pageTimeline } from '../../store/read/history.ts';
import { findHost } from '../../store/read/hosts.ts';
import { findImage } from '../../store/read/images.ts';
import { type InventoryRow, pageInventory } from '../../store/read/inventory-list.ts';
import { pageInventoryPackages } from '../../store/read/inventory-packages.ts';
import { findKernelById, pageKernelHosts, pageKernels } from '../../store/read/kernels.ts';
import { EXPORT_PAGE_ROWS } from '../../store/read/keyset.ts';
import { pageKubernetesImages } from '../../store/read/kubernetes.ts';
import { pagePackageInstallations } from '../../store/read/package-installations.ts';
import {
  findPackage,
  listPackageVersions,
  type PackageRow,
  pagePackages,
} from '../../store/read/packages.ts';
import { pageSearch } from '../../store/read/search.ts';
import {
  findSourcePackage,
  pageSourcePackages,
  pageSourcePackageVersions,
  type SourcePackageRow,
} from '../../store/read/source-packages.ts';
import { requireSignIn } from '../access/rules.tsx';
import type { AppEnv } from '../env.ts';
import { cutoffsAt, livenessThresholds } from '../fleet/liveness-settings.ts';
import { readChangesRange, readHostPattern } from '../history-range.ts';
import {
  CHANGES_SPEC,
  CVE_OWNERS_SPEC,
  CVES_SPEC,
  HOSTS_SPEC,
  INSTALLATIONS_SPEC,
  INVENTORY_PACKAGES_SPEC,
  INVENTORY_SPEC,
  KERNEL_HOSTS_SPEC,
  KERNELS_SPEC,
  KUBERNETES_SPEC,
  PACKAGES_SPEC,
  SEARCH_SPEC,
  SOURCE_PACKAGES_SPEC,
  SOURCE_VERSIONS_SPEC,
  TIMELINE_SPEC,
} from '../list-specs.ts';
import { type ListSpec, readListState } from '../list-state.ts';
import { renderNotFound } from './pages/not-found.tsx';

type Cell = string | number | null;
interface Table {
  header: string[];
  pages: AsyncGenerator<Cell[][]>;
}

/** The list's sort and filters from the query string. */
function optionsOf<S extends string>(c: Context<AppEnv>, spec: ListSpec<S>) {
  const { sort, descending, q, filter } = readListState(c.req.query(), spec);
  return { sort, descending, q, filter };
}

async function* cells<T>(pages: AsyncIterable<T[]>, toCells: (row: T) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const rows of pages) yield rows.map(toCells);
}

const iso = (date: Date) => date.toISOString();

type Exporter = (c: Context<AppEnv>, pageRows: number) => Promise<Table | null>;

const exporters: Record<string, Exporter> = {
  hosts: (c, pageRows) => exportInventory(c, 'hosts', pageRows),
  images: (c, pageRows) => exportInventory(c, 'images', pageRows),
  async kernels(c, pageRows) {
    return {
      header: ['os', 'kernel', 'release', 'hosts'],
      pages: cells(pageKernels(c.var.database, optionsOf(c, KERNELS_SPEC), pageRows), (r) => [
        r.os,
        r.name,
        r.release,
        r.hostCount,
      ]),
    };
  },
  async packages(c, pageRows) {
    return {
      header: ['package', 'installed', 'upgrades', 'security', 'versions', 'oses'],
      pages: cells(pagePackages(c.var.store, optionsOf(c, PACKAGES_SPEC), pageRows), countedNameCells),
    };
  },
  async 'source-packages'(c, pageRows) {
    return {
      header: ['source_package', 'installed', 'upgrades', 'security', 'versions', 'oses'],
      pages: cells(
        pageSourcePackages(c.var.store, optionsOf(c, SOURCE_PACKAGES_SPEC), pageRows),
        countedNameCells,
      ),
    };
  },
  async kubernetes(c, pageRows) {
    return {
      header: ['cluster', 'namespace', 'image', 'os', 'containers'],
      pages: cells(pageKubernetesImages(c.var.database, optionsOf(c, KUBERNETES_SPEC), pageRows), (r) => [
        r.cluster,
        r.namespace,
        r.image,
        r.os,
        r.containers,
      ]),
    };
  },
  async 'host-packages'(c, pageRows) {
    const host = await findHost(c.var.database, c.req.query('host') ?? '');
    return host ? exportInventoryPackages(c, 'hosts', host.id, pageRows) : null;
  },
  async 'image-packages'(c, pageRows) {
    const image = await findImage(c.var.database, c.req.query('image') ?? '');
    return image ? exportInventoryPackages(c, 'images', image.id, pageRows) : null;
  },
  async 'package-installations'(c, pageRows) {
    const database = c.var.database;
    const pkg = await findPackage(database, c.req.query('package') ?? '');
    if (!pkg) return null;
    const versions = await listPackageVersions(database, pkg.id);
    const byId = new Map(versions.map((v) => [v.id, v]));
    const rows = pagePackageInstallations(
      c.var.store,
      pkg.id,
      versions,
      optionsOf(c, INSTALLATIONS_SPEC),
      pageRows,
    );
    return {
      header: ['kind', 'name', 'os', 'version', 'upgradable_version', 'upgrade_type'],
      pages: cells(rows, (r) => [
        r.kind,
        r.name,
        byId.get(r.versionId)?.os ?? null,
        byId.get(r.versionId)?.version ?? null,
        r.upgradableVersion,
        r.upgradeType,
      ]),
    };
  },
  async 'kernel-hosts'(c, pageRows) {
    const kernel = await findKernelById(c.var.database, parseId(c.req.query('kernel')));
    if (!kernel) return null;
    const rows = pageKernelHosts(c.var.database, kernel.id, optionsOf(c, KERNEL_HOSTS_SPEC), pageRows);
    return { header: ['host', 'last_update'], pages: cells(rows, (r) => [r.name, iso(r.modified)]) };
  },
  async 'source-package-versions'(c, pageRows) {
    const source = await findSourcePackage(c.var.database, c.req.query('package') ?? '');
    if (!source) return null;
    const { sort, descending } = optionsOf(c, SOURCE_VERSIONS_SPEC);
    const order = { byVersion: sort === 'version', descending };
    return {
      header: ['os', 'version', 'binaries'],
      pages: cells(pageSourcePackageVersions(c.var.database, source.id, order, pageRows), (r) => [
        r.os,
        r.version,
        r.binaries.join(', '),
      ]),
    };
  },
  'host-history': (c, pageRows) => exportTimeline(c, 'host', pageRows),
  'image-history': (c, pageRows) => exportTimeline(c, 'image', pageRows),
  async changes(c, pageRows) {
    const query = c.req.query();
    const range = readChangesRange(query, new Date());
    const { q, filter } = optionsOf(c, CHANGES_SPEC);
    const options = { from: range.from, to: range.to, hosts: readHostPattern(query), q, filter };
    return {
      header: [
        'source_package',
        'change',
        'from_version',
        'to_version',
        'hosts',
        'packages_changed',
        'first',
        'last',
      ],
      pages: cells(pageChanges(c.var.database, options, pageRows), (r) => [
        r.source,
        r.kind,
        r.fromVersion,
        r.toVersion,
        r.hosts,
        r.changes,
        iso(r.first),
        iso(r.last),
      ]),
    };
  },
  async cves(c, pageRows) {
    return {
      header: [
        'cve',
        'urgency',
        'fixable',
        'hosts_fixable',
        'hosts_unfixed',
        'hosts_uncertain',
        'images_fixable',
        'images_unfixed',
        'images_uncertain',
        'description',
      ],
      pages: cells(pageCves(c.var.database, optionsOf(c, CVES_SPEC), pageRows), (r) => [
        r.cve,
        r.urgency,
        r.fixable,
        r.hostsFixable,
        r.hostsUnfixed,
        r.hostsOther,
        r.imagesFixable,
        r.imagesUnfixed,
        r.imagesOther,
        r.description,
      ]),
    };
  },
  'cve-hosts': (c, pageRows) => exportCveOwners(c, 'hosts', pageRows),
  'cve-images': (c, pageRows) => exportCveOwners(c, 'images', pageRows),
  async search(c, pageRows) {
    const q = optionsOf(c, SEARCH_SPEC).q;
    if (q.length < c.var.config.SEARCH_MIN_LENGTH) return null;
    return {
      header: ['type', 'name', 'version', 'os'],
      pages: cells(pageSearch(c.var.database, q, pageRows), (r) => [
        r.group,
        r.name,
        r.version ?? null,
        r.os ?? null,
      ]),
    };
  },
};

/** The hosts or images of `?cve=` with their finding (docs/cve.md, "Pages"); null for an unknown CVE. */
async function exportCveOwners(
  c: Context<AppEnv>,
  kind: 'hosts' | 'images',
  pageRows: number,
): Promise<Table | null> {
  const cve = await findCve(c.var.database, c.req.query('cve') ?? '');
  if (!cve) return null;
  const rows = pageCveOwners(c.var.database, kind, cve.cve, optionsOf(c, CVE_OWNERS_SPEC), pageRows);
  return {
    header: [
      kind === 'hosts' ? 'host' : 'image',
      'source_package',
      'installed_version',
      'state',
      'reason',
      'fixed_version',
    ],
    pages: cells(rows, (r) => [r.name, r.source, r.installedVersion, r.state, r.reason, r.fixedVersion]),
  };
}

async function exportInventory(
  c: Context<AppEnv>,
  kind: 'hosts' | 'images',
  pageRows: number,
): Promise<Table> {
  const now = new Date();
  const rows = pageInventory(
    c.var.database,
    kind,
    optionsOf(c, kind === 'hosts' ? HOSTS_SPEC : INVENTORY_SPEC),
    pageRows,
    cutoffsAt(c.var.config, now),
  );
  const common = ['os', 'packages', 'upgrades', 'security', 'last_update'];
  // Both kinds end with what history and the CVE feed add (docs/history.md, docs/cve.md), after
  // the older columns so that readers of those keep working.
  const exposure = ['security_pending_since', 'last_patched', 'cve_fixable', 'cve_urgent'];
  const exposureCells = (r: InventoryRow) => [
    r.securitySince ? iso(r.securitySince) : null,
    r.lastUpgraded ? iso(r.lastUpgraded) : null,
    r.cveFixable,
    r.cveUrgent,
  ];
  if (kind === 'images') {
    return {
      header: ['image', ...common, ...exposure],
      pages: cells(rows, (r) => [
        r.name,
        r.os,
        r.packageCount,
        r.upgradeCount,
        r.securityCount,
        iso(r.modified),
        ...exposureCells(r),
      ]),
    };
  }
  // Hosts also carry what the host page and the filters show (docs/reboot.md): the same words.
  const thresholds = livenessThresholds(c.var.config);
  return {
    header: [
      'host',
      ...common,
      'last_full_report',
      'liveness',
      'reboot_required',
      'kernel_state',
      ...exposure,
    ],
    pages: cells(rows, (r) => [
      r.name,
      r.os,
      r.packageCount,
      r.upgradeCount,
      r.securityCount,
      iso(r.modified),
      r.lastFullReport ? iso(r.lastFullReport) : null,
      livenessOf({ lastFullReport: r.lastFullReport ?? null, modified: r.modified }, now, thresholds),
      r.rebootRequired ? 'yes' : 'no',
      kernelStateOf(r.kernelState),
      ...exposureCells(r),
    ]),
  };
}

/** A host's or image's timeline (docs/history.md), newest first; null for an unknown owner. */
async function exportTimeline(
  c: Context<AppEnv>,
  kind: 'host' | 'image',
  pageRows: number,
): Promise<Table | null> {
  const name = c.req.query(kind) ?? '';
  const owner =
    kind === 'host' ? await findHost(c.var.database, name) : await findImage(c.var.database, name);
  if (!owner) return null;
  return {
    header: ['time', 'change', 'package', 'from_version', 'to_version', 'report_type', 'detail'],
    pages: cells(pageTimeline(c.var.database, kind, owner.id, optionsOf(c, TIMELINE_SPEC), pageRows), (r) => [
      iso(r.created),
      r.kind,
      r.packageName,
      r.fromVersion,
      r.toVersion,
      r.reportType,
      r.detail,
    ]),
  };
}

async function exportInventoryPackages(
  c: Context<AppEnv>,
  kind: 'hosts' | 'images',
  id: number,
  pageRows: number,
): Promise<Table> {
  const rows = pageInventoryPackages(
    c.var.database,
    kind,
    id,
    optionsOf(c, INVENTORY_PACKAGES_SPEC),
    pageRows,
  );
  return {
    header: ['package', 'version', 'upgradable_version', 'upgrade_type'],
    pages: cells(rows, (r) => [r.packageName, r.version, r.upgradableVersion, r.upgradeType]),
  };
}

/** Writes pages of rows as CSV or JSON text: together, the text of all the rows written at once. */
function createWriter(format: 'csv' | 'json', header: string[]) {
  if (format === 'csv') {
    // formatCsv writes the header, then one line per row: a page's lines follow the header's.
    const head = formatCsv(header, []);
    return {
      start: head,
      page(rows: Cell[][]) {
        const text = formatCsv(header, rows);
        if (!text.startsWith(head)) throw new Error('formatCsv no longer starts with the header line');
        return text.slice(head.length);
      },
      end: '',
    };
  }
  // JSON.stringify of the array, one page at a time: `[`, the objects separated by commas, `]`.
  let first = true;
  return {
    start: '[',
    page(rows: Cell[][]) {
      const objects = rows.map((row) =>
        JSON.stringify(Object.fromEntries(header.map((key, index) => [key, row[index] ?? null]))),
      );
      const text = (first ? '' : ',') + objects.join(',');
      first = false;
      return text;
    },
    end: ']',
  };
}

/**
 * The response body: the first page is read before the answer starts, so that a failing query
 * still gets the 500 page; a later failure can only cut the body short (and is logged).
 */
async function streamTable(
  c: Context<AppEnv>,
  format: 'csv' | 'json',
  table: Table,
): Promise<ReadableStream> {
  const writer = createWriter(format, table.header);
  const encoder = new TextEncoder();
  const first = await table.pages.next();
  let text = writer.start;
  if (!first.done && first.value.length > 0) text += writer.page(first.value);
  if (first.done) text += writer.end;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(text));
        if (first.done) controller.close();
      },
      async pull(controller) {
        try {
          for (;;) {
            await yieldToEventLoop();
            const next = await table.pages.next();
            if (next.done) {
              if (writer.end) controller.enqueue(encoder.encode(writer.end));
              controller.close();
              return;
            }
            if (next.value.length > 0) {
              controller.enqueue(encoder.encode(writer.page(next.value)));
              return;
            }
          }
        } catch (error) {
          c.var.log.error(`GET ${c.req.path}: export cut short: ${(error as Error).stack ?? error}`);
          controller.error(error);
        }
      },
      async cancel() {
        await table.pages.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

/** Names of the lists that can be exported. */
export const EXPORTABLE_LISTS = Object.keys(exporters);

export const exportRoutes = new Hono<AppEnv>().get(
  '/export/:file{[a-z-]+\\.(?:csv|json)}',
  requireSignIn,
  async (c) => {
    const file = c.req.param('file');
    const dot = file.lastIndexOf('.');
    const name = file.slice(0, dot);
    const format = file.slice(dot + 1) === 'csv' ? 'csv' : 'json';
    const exporter = Object.hasOwn(exporters, name) ? exporters[name] : undefined;
    const table = exporter ? await exporter(c, c.var.exportPageRows ?? EXPORT_PAGE_ROWS) : null;
    if (!table) return renderNotFound(c);
    const body = await streamTable(c, format, table);
    return c.body(body, 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      'Content-Disposition': `attachment; filename="${file}"`,
      'Cache-Control': 'no-cache, private',
    });
  },
);

/** The cells of a binary or source package row: name, counts, versions, OSes. */
function countedNameCells(r: PackageRow | SourcePackageRow): Cell[] {
  return [r.name, r.installed, r.upgrades, r.security, r.versionCount, r.oses.join(', ')];
}
