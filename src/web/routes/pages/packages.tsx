/** @jsxImportSource hono/jsx */
/** `/packages/` and `/packages/<name>`. */
import { Hono } from 'hono';
import { encodePathSegment } from '../../../lib/encode-path.ts';
import { readSourceCves } from '../../../store/read/cves.ts';
import { isInventoryEmpty } from '../../../store/read/dashboard.ts';
import { listPackageChanges } from '../../../store/read/history.ts';
import {
  findPackage,
  listPackageInstallations,
  listPackages,
  listPackageVersions,
} from '../../../store/read/packages.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { INSTALLATIONS_SPEC, PACKAGES_SPEC } from '../../list-specs.ts';
import { readListPage, readListState } from '../../list-state.ts';
import { createListView, readClock, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import { HISTORY_ROWS } from '../../views/pages/history.tsx';
import {
  InstallationList,
  PackageDetailPage,
  PackageList,
  PackageListPage,
} from '../../views/pages/packages.tsx';
import { renderNotFound } from './not-found.tsx';

export const packageRoutes = new Hono<AppEnv>()
  .get('/packages/', requireSignIn, async (c) => {
    const database = c.var.database;
    const { state, page } = await readListPage(readListState(c.req.query(), PACKAGES_SPEC), (options) =>
      listPackages(c.var.store, options),
    );
    const inventoryEmpty = page.total === 0 && (await isInventoryEmpty(database));
    const props = {
      list: {
        ...createListView('/packages/', state, PACKAGES_SPEC, page.total, { name: 'packages' }),
        filterPlaceholder: 'Filter by package name…',
      },
      rows: page.rows,
      inventoryEmpty,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <PackageList {...props} />);
    return renderPage(c, { title: 'Binary Packages', section: 'packages' }, <PackageListPage {...props} />);
  })
  .get('/packages/:name', requireSignIn, async (c) => {
    const database = c.var.database;
    const pkg = await findPackage(database, c.req.param('name'));
    const versions = pkg ? await listPackageVersions(database, pkg.id) : [];
    // A package with no versions left (awaiting garbage collection) has no page, as upstream.
    if (!pkg || versions.length === 0) return renderNotFound(c);
    const { state, page } = await readListPage(readListState(c.req.query(), INSTALLATIONS_SPEC), (options) =>
      listPackageInstallations(c.var.store, pkg.id, versions, options),
    );
    const props = {
      list: {
        ...createListView(`/packages/${encodePathSegment(pkg.name)}`, state, INSTALLATIONS_SPEC, page.total, {
          name: 'package-installations',
          params: { package: pkg.name },
        }),
        filterPlaceholder: 'Filter by host or image name…',
        filterNoun: 'hosts and images',
      },
      rows: page.rows,
      versions,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <InstallationList {...props} />);
    const history = { rows: await listPackageChanges(database, pkg.id, HISTORY_ROWS), clock: readClock(c) };
    const cves = await readSourceCves(database, [...new Set(versions.map((version) => version.source))]);
    return renderPage(
      c,
      { title: pkg.name, subtitle: 'Binary Package', section: 'packages' },
      <PackageDetailPage {...props} history={history} cves={cves} clock={readClock(c)} />,
    );
  });
