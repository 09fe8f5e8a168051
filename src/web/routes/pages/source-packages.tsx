/** @jsxImportSource hono/jsx */
/** `/source-packages/` and `/source-packages/<name>`. */
import { Hono } from 'hono';
import { compareDebianVersions } from '../../../domain/debian-version.ts';
import { encodePathSegment } from '../../../lib/encode-path.ts';
import { readSourceCves } from '../../../store/read/cves.ts';
import { isInventoryEmpty } from '../../../store/read/dashboard.ts';
import { listSourcePackageChanges } from '../../../store/read/history.ts';
import { containsIgnoringCase, slicePage } from '../../../store/read/list-options.ts';
import {
  findSourcePackage,
  listSourcePackages,
  listSourcePackageVersions,
  readSourceBinaries,
  sourceCounts,
} from '../../../store/read/source-packages.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { SOURCE_PACKAGES_SPEC, SOURCE_VERSIONS_SPEC } from '../../list-specs.ts';
import { readListPage, readListState } from '../../list-state.ts';
import { createListView, readClock, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import { HISTORY_ROWS } from '../../views/pages/history.tsx';
import {
  SourcePackageDetailPage,
  SourcePackageList,
  SourcePackageListPage,
  SourceVersionList,
} from '../../views/pages/source-packages.tsx';
import { renderNotFound } from './not-found.tsx';

export const sourcePackageRoutes = new Hono<AppEnv>()
  .get('/source-packages/', requireSignIn, async (c) => {
    const database = c.var.database;
    const { state, page } = await readListPage(
      readListState(c.req.query(), SOURCE_PACKAGES_SPEC),
      (options) => listSourcePackages(c.var.store, options),
    );
    const inventoryEmpty = page.total === 0 && (await isInventoryEmpty(database));
    const props = {
      list: {
        ...createListView('/source-packages/', state, SOURCE_PACKAGES_SPEC, page.total, {
          name: 'source-packages',
        }),
        filterPlaceholder: 'Filter by source package name…',
        filterNoun: 'source packages',
      },
      rows: page.rows,
      inventoryEmpty,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <SourcePackageList {...props} />);
    return renderPage(
      c,
      { title: 'Source Packages', section: 'source-packages' },
      <SourcePackageListPage {...props} />,
    );
  })
  .get('/source-packages/:name', requireSignIn, async (c) => {
    const database = c.var.database;
    const source = await findSourcePackage(database, c.req.param('name'));
    const [versions, binaries] = source
      ? await Promise.all([
          listSourcePackageVersions(database, source.id),
          readSourceBinaries(database, [source.id]),
        ])
      : [[], new Map()];
    if (!source || versions.length === 0) return renderNotFound(c);
    const mine = binaries.get(source.id) ?? [];
    // A source package has few versions: filter, sort and page them in memory.
    const q = readListState(c.req.query(), SOURCE_VERSIONS_SPEC).q;
    const matching = versions.filter(
      (row) => !q || containsIgnoringCase(row.version, q) || containsIgnoringCase(row.os, q),
    );
    const { state, page } = await readListPage(
      readListState(c.req.query(), SOURCE_VERSIONS_SPEC),
      async (options) => {
        if (options.sort === 'version') matching.sort((a, b) => compareDebianVersions(a.version, b.version));
        return slicePage(options.descending ? [...matching].reverse() : matching, options);
      },
    );
    const props = {
      list: {
        ...createListView(
          `/source-packages/${encodePathSegment(source.name)}`,
          state,
          SOURCE_VERSIONS_SPEC,
          page.total,
          {
            name: 'source-package-versions',
            params: { package: source.name },
          },
        ),
        filterPlaceholder: 'Filter by version or OS…',
      },
      rows: page.rows,
      counts: sourceCounts(mine),
      binaries: mine,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <SourceVersionList {...props} />);
    const history = {
      rows: await listSourcePackageChanges(database, source.id, HISTORY_ROWS),
      clock: readClock(c),
    };
    const cves = await readSourceCves(database, [source.name]);
    return renderPage(
      c,
      { title: source.name, subtitle: 'Source Package', section: 'source-packages' },
      <SourcePackageDetailPage {...props} history={history} cves={cves} clock={readClock(c)} />,
    );
  });
