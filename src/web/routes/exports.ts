/**
 * CSV and JSON exports of every list: `/export/<list>.csv|json` with the list's own query parameters
 * (filter, sort; paging is ignored: an export has every row). A separate path, so it can never be
 * mistaken for a host named `export.csv`, and no `Accept` negotiation: `Accept: application/json` on
 * the page URLs means an agent (spec §4.1).
 */
import { type Context, Hono } from 'hono';
import { compareDebianVersions } from '../../domain/debian-version.ts';
import { formatCsv } from '../../lib/csv.ts';
import { parseId } from '../../lib/parse-id.ts';
import { findHost } from '../../store/read/hosts.ts';
import { findImage } from '../../store/read/images.ts';
import { listInventory } from '../../store/read/inventory-list.ts';
import { listInventoryPackages } from '../../store/read/inventory-packages.ts';
import { findKernelById, listKernelHosts, listKernels } from '../../store/read/kernels.ts';
import { listKubernetesImages } from '../../store/read/kubernetes.ts';
import type { Page } from '../../store/read/list-options.ts';
import {
  findPackage,
  listPackageInstallations,
  listPackages,
  listPackageVersions,
} from '../../store/read/packages.ts';
import { search } from '../../store/read/search.ts';
import {
  findSourcePackage,
  listSourcePackages,
  listSourcePackageVersions,
} from '../../store/read/source-packages.ts';
import { requireSignIn } from '../access/rules.tsx';
import type { AppEnv } from '../env.ts';
import {
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
} from '../list-specs.ts';
import { type ListSpec, readListState, toListOptions } from '../list-state.ts';
import { renderNotFound } from './pages/not-found.tsx';

/** Rows per query while collecting an export (also bounds IN lists). */
const BATCH = 1000;
/** Largest export; beyond it the file says it was cut. */
export const EXPORT_MAX_ROWS = 100_000;

type Cell = string | number | null;
interface Table {
  header: string[];
  rows: Cell[][];
  truncated: boolean;
}

async function collect<T>(
  read: (offset: number, limit: number) => Promise<Page<T>>,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = [];
  for (let offset = 0; offset < EXPORT_MAX_ROWS; offset += BATCH) {
    const page = await read(offset, Math.min(BATCH, EXPORT_MAX_ROWS - offset));
    rows.push(...page.rows);
    if (rows.length >= page.total || page.rows.length === 0) return { rows, truncated: false };
  }
  return { rows, truncated: true };
}

function optionsOf<S extends string>(c: Context<AppEnv>, spec: ListSpec<S>) {
  const base = toListOptions(readListState(c.req.query(), spec));
  return (offset: number, limit: number) => ({ ...base, offset, limit });
}

const iso = (date: Date) => date.toISOString();

type Exporter = (c: Context<AppEnv>) => Promise<Table | null>;

const exporters: Record<string, Exporter> = {
  hosts: (c) => exportInventory(c, 'hosts'),
  images: (c) => exportInventory(c, 'images'),
  async kernels(c) {
    const at = optionsOf(c, KERNELS_SPEC);
    const { rows, truncated } = await collect((o, l) => listKernels(c.var.database, at(o, l)));
    return {
      header: ['os', 'kernel', 'release', 'hosts'],
      rows: rows.map((r) => [r.os, r.name, r.release, r.hostCount]),
      truncated,
    };
  },
  async packages(c) {
    const at = optionsOf(c, PACKAGES_SPEC);
    const { rows, truncated } = await collect((o, l) => listPackages(c.var.database, at(o, l)));
    return {
      header: ['package', 'installed', 'upgrades', 'security', 'versions', 'oses'],
      rows: rows.map((r) => [r.name, r.installed, r.upgrades, r.security, r.versionCount, r.oses.join(', ')]),
      truncated,
    };
  },
  async 'source-packages'(c) {
    const at = optionsOf(c, SOURCE_PACKAGES_SPEC);
    const { rows, truncated } = await collect((o, l) => listSourcePackages(c.var.database, at(o, l)));
    return {
      header: ['source_package', 'versions', 'oses'],
      rows: rows.map((r) => [r.name, r.versionCount, r.oses.join(', ')]),
      truncated,
    };
  },
  async kubernetes(c) {
    const at = optionsOf(c, KUBERNETES_SPEC);
    const { rows, truncated } = await collect((o, l) => listKubernetesImages(c.var.database, at(o, l)));
    return {
      header: ['cluster', 'namespace', 'image', 'os', 'containers'],
      rows: rows.map((r) => [r.cluster, r.namespace, r.image, r.os, r.containers]),
      truncated,
    };
  },
  async 'host-packages'(c) {
    const host = await findHost(c.var.database, c.req.query('host') ?? '');
    return host ? exportInventoryPackages(c, 'hosts', host.id) : null;
  },
  async 'image-packages'(c) {
    const image = await findImage(c.var.database, c.req.query('image') ?? '');
    return image ? exportInventoryPackages(c, 'images', image.id) : null;
  },
  async 'package-installations'(c) {
    const database = c.var.database;
    const pkg = await findPackage(database, c.req.query('package') ?? '');
    if (!pkg) return null;
    const versions = await listPackageVersions(database, pkg.id);
    const byId = new Map(versions.map((v) => [v.id, v]));
    const at = optionsOf(c, INSTALLATIONS_SPEC);
    const { rows, truncated } = await collect((o, l) =>
      listPackageInstallations(database, pkg.id, versions, at(o, l)),
    );
    return {
      header: ['kind', 'name', 'os', 'version', 'upgradable_version', 'upgrade_type'],
      rows: rows.map((r) => [
        r.kind,
        r.name,
        byId.get(r.versionId)?.os ?? null,
        byId.get(r.versionId)?.version ?? null,
        r.upgradableVersion,
        r.upgradeType,
      ]),
      truncated,
    };
  },
  async 'kernel-hosts'(c) {
    const kernel = await findKernelById(c.var.database, parseId(c.req.query('kernel')));
    if (!kernel) return null;
    const at = optionsOf(c, KERNEL_HOSTS_SPEC);
    const { rows, truncated } = await collect((o, l) => listKernelHosts(c.var.database, kernel.id, at(o, l)));
    return { header: ['host', 'last_update'], rows: rows.map((r) => [r.name, iso(r.modified)]), truncated };
  },
  async 'source-package-versions'(c) {
    const source = await findSourcePackage(c.var.database, c.req.query('package') ?? '');
    if (!source) return null;
    const state = readListState(c.req.query(), SOURCE_VERSIONS_SPEC);
    const rows = await listSourcePackageVersions(c.var.database, source.id);
    if (state.sort === 'version') rows.sort((a, b) => compareDebianVersions(a.version, b.version));
    if (state.descending) rows.reverse();
    return {
      header: ['os', 'version', 'binaries'],
      rows: rows.map((r) => [r.os, r.version, r.binaries.join(', ')]),
      truncated: false,
    };
  },
  async search(c) {
    const q = readListState(c.req.query(), SEARCH_SPEC).q;
    if (q.length < c.var.config.SEARCH_MIN_LENGTH) return null;
    const { rows, truncated } = await collect((offset, limit) =>
      search(c.var.database, q, { offset, limit }),
    );
    return {
      header: ['type', 'name', 'version', 'os'],
      rows: rows.map((r) => [r.group, r.name, r.version ?? null, r.os ?? null]),
      truncated,
    };
  },
};

async function exportInventory(c: Context<AppEnv>, kind: 'hosts' | 'images'): Promise<Table> {
  const at = optionsOf(c, INVENTORY_SPEC);
  const { rows, truncated } = await collect((o, l) => listInventory(c.var.database, kind, at(o, l)));
  return {
    header: [kind === 'hosts' ? 'host' : 'image', 'os', 'packages', 'upgrades', 'security', 'last_update'],
    rows: rows.map((r) => [r.name, r.os, r.packageCount, r.upgradeCount, r.securityCount, iso(r.modified)]),
    truncated,
  };
}

async function exportInventoryPackages(
  c: Context<AppEnv>,
  kind: 'hosts' | 'images',
  id: number,
): Promise<Table> {
  const at = optionsOf(c, INVENTORY_PACKAGES_SPEC);
  const { rows, truncated } = await collect((o, l) =>
    listInventoryPackages(c.var.database, kind, id, at(o, l)),
  );
  return {
    header: ['package', 'version', 'upgradable_version', 'upgrade_type'],
    rows: rows.map((r) => [r.packageName, r.version, r.upgradableVersion, r.upgradeType]),
    truncated,
  };
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
    const format = file.slice(dot + 1);
    const exporter = Object.hasOwn(exporters, name) ? exporters[name] : undefined;
    const table = exporter ? await exporter(c) : null;
    if (!table) return renderNotFound(c);
    c.header('Content-Disposition', `attachment; filename="${file}"`);
    c.header('Cache-Control', 'no-cache, private');
    if (table.truncated) c.header('X-Export-Truncated', String(EXPORT_MAX_ROWS));
    if (format === 'csv') {
      return c.body(formatCsv(table.header, table.rows), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    const objects = table.rows.map((row) =>
      Object.fromEntries(table.header.map((key, index) => [key, row[index] ?? null])),
    );
    return c.json(objects);
  },
);
