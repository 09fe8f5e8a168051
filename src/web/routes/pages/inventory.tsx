/** @jsxImportSource hono/jsx */
/** `/hosts/`, `/hosts/<name>`, `/images/` and `/images/<name…>` (HTML; the agent API owns the rest). */
import { type Context, Hono, type Next } from 'hono';
import { expandHostLinks, expandImageLinks } from '../../../domain/external-links.ts';
import { encodePath, encodePathSegment } from '../../../lib/encode-path.ts';
import { currentFeed } from '../../../store/cve/feed-dataset.ts';
import { isInventoryEmpty } from '../../../store/read/dashboard.ts';
import { findNeverReported } from '../../../store/read/fleet-health.ts';
import { findHost } from '../../../store/read/hosts.ts';
import { findImage } from '../../../store/read/images.ts';
import { listInventory } from '../../../store/read/inventory-list.ts';
import { listInventoryPackages } from '../../../store/read/inventory-packages.ts';
import { containsIgnoringCase, slicePage } from '../../../store/read/list-options.ts';
import { readOwnerCves } from '../../../store/read/owner-cves.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { cutoffsAt } from '../../fleet/liveness-settings.ts';
import { HOSTS_SPEC, INVENTORY_PACKAGES_SPEC, INVENTORY_SPEC } from '../../list-specs.ts';
import { readListPage, readListState, toListOptions } from '../../list-state.ts';
import { createListView, readClock, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import {
  HostDetailPage,
  ImageDetailPage,
  InventoryPackageList,
} from '../../views/pages/inventory-detail.tsx';
import { InventoryList, InventoryListPage } from '../../views/pages/inventory-list.tsx';
import { renderNotFound } from './not-found.tsx';

function listPage(kind: 'hosts' | 'images') {
  return async (c: Context<AppEnv>) => {
    const database = c.var.database;
    const spec = kind === 'hosts' ? HOSTS_SPEC : INVENTORY_SPEC;
    const clock = readClock(c);
    const cutoffs = kind === 'hosts' ? cutoffsAt(c.var.config, clock.now) : undefined;
    const { state, page } = await readListPage(readListState(c.req.query(), spec), (options) =>
      listInventory(database, kind, options, cutoffs),
    );
    const options = toListOptions(state);
    // Expected hosts that never reported have no row: the list is the file minus the hosts.
    const neverReported =
      state.filter === 'never_reported'
        ? slicePage(
            (await findNeverReported(database, await c.var.expectedHosts.names())).filter((name) =>
              containsIgnoringCase(name, state.q),
            ),
            options,
          )
        : undefined;
    const total = neverReported?.total ?? page.total;
    const inventoryEmpty = total === 0 && (await isInventoryEmpty(database));
    // The fixable-CVE column says "not covered" for a release the feed lacks, never 0 (docs/cve.md).
    const feed = await currentFeed(database);
    const props = {
      kind,
      cutoffs,
      cveReleases: feed ? feed.releases : null,
      neverReported: neverReported?.rows,
      list: {
        ...createListView(`/${kind}/`, state, spec, total, { name: kind }),
        filterPlaceholder: kind === 'hosts' ? 'Filter by hostname or OS…' : 'Filter by image name or OS…',
        filterNoun: kind,
        expectedHosts: c.var.expectedHosts.configured,
      },
      rows: page.rows,
      clock,
      inventoryEmpty,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <InventoryList {...props} />);
    return renderPage(
      c,
      { title: kind === 'hosts' ? 'Hosts' : 'Images', section: kind },
      <InventoryListPage {...props} />,
    );
  };
}

async function readPackages(
  c: Context<AppEnv>,
  kind: 'hosts' | 'images',
  ownerId: number,
  path: string,
  exportParams: Record<string, string>,
) {
  const { state, page } = await readListPage(
    readListState(c.req.query(), INVENTORY_PACKAGES_SPEC),
    (options) => listInventoryPackages(c.var.database, kind, ownerId, options),
  );
  const list = {
    ...createListView(path, state, INVENTORY_PACKAGES_SPEC, page.total, {
      name: kind === 'hosts' ? 'host-packages' : 'image-packages',
      params: exportParams,
    }),
    filterPlaceholder: 'Filter by package name…',
  };
  return { list, rows: page.rows };
}

/** The page of the CVE section's findings asked for (`cves_page`, 1 when absent or not a number). */
function cvePage(c: Context<AppEnv>): number {
  const page = Number.parseInt(c.req.query('cves_page') ?? '', 10);
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}

/** Links page n of the CVE section, keeping the package table's query parameters. */
function cvePageHref(c: Context<AppEnv>): (page: number) => string {
  const query = new URL(c.req.url).searchParams;
  return (page) => {
    const next = new URLSearchParams(query);
    next.set('cves_page', String(page));
    return `?${next.toString()}`;
  };
}

async function hostPage(c: Context<AppEnv>) {
  const name = c.req.param('name') ?? '';
  const host = await findHost(c.var.database, name);
  if (!host) return renderNotFound(c);
  const table = await readPackages(c, 'hosts', host.id, `/hosts/${encodePathSegment(host.name)}`, {
    host: host.name,
  });
  if (wantsListFragment(c)) return renderFragment(c, table.list, <InventoryPackageList {...table} />);
  const cves = await readOwnerCves(
    c.var.database,
    { kind: 'host', id: host.id, os: host.os, kernelBanner: host.kernel.name },
    { page: cvePage(c) },
  );
  return renderPage(
    c,
    { title: host.name, subtitle: 'Host', section: 'hosts' },
    <HostDetailPage
      {...table}
      cves={cves}
      cvePageHref={cvePageHref(c)}
      host={host}
      externalLinks={expandHostLinks(c.var.config.HOST_EXTERNAL_LINKS, host.name)}
      clock={readClock(c)}
    />,
  );
}

async function imagePage(c: Context<AppEnv>, next: Next) {
  const name = c.req.param('name') ?? '';
  // `/images/<X>/update` is always the report endpoint, and an exact JSON Accept asks the agent API
  // for the image: both belong to other routes (docs/protocol.md, "URLs and names" and "Image lookup
  // and deletion").
  if (name.endsWith('/update') || c.req.header('Accept') === 'application/json') return next();
  const image = await findImage(c.var.database, name);
  if (!image) return renderNotFound(c);
  const table = await readPackages(c, 'images', image.id, `/images/${encodePath(image.name)}`, {
    image: image.name,
  });
  if (wantsListFragment(c)) return renderFragment(c, table.list, <InventoryPackageList {...table} />);
  const cves = await readOwnerCves(
    c.var.database,
    { kind: 'image', id: image.id, os: image.os },
    { page: cvePage(c) },
  );
  return renderPage(
    c,
    { title: image.name, subtitle: 'Image', section: 'images' },
    <ImageDetailPage
      {...table}
      cves={cves}
      cvePageHref={cvePageHref(c)}
      image={image}
      externalLinks={expandImageLinks(c.var.config.IMAGE_EXTERNAL_LINKS, image.name)}
      clock={readClock(c)}
    />,
  );
}

export const inventoryRoutes = new Hono<AppEnv>()
  .get('/hosts/', requireSignIn, listPage('hosts'))
  .get('/hosts/:name', requireSignIn, hostPage)
  .get('/images/', requireSignIn, listPage('images'))
  .get('/images/:name{.+}', requireSignIn, imagePage);
