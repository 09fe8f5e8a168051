/** @jsxImportSource hono/jsx */
/** `/cves/` and `/cves/<id>` (docs/cve.md, "Pages"). */
import { Hono } from 'hono';
import { findCve, listCveOwners, listCves } from '../../../store/read/cves.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { CVE_OWNERS_SPEC, CVES_SPEC } from '../../list-specs.ts';
import { formatListQuery, readListPage, readListState, toListOptions } from '../../list-state.ts';
import { createListView, readClock, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import { CveDetailPage, CveList, CveListPage, CveOwnerList } from '../../views/pages/cves.tsx';
import { cvePath } from '../../views/paths.ts';
import { renderNotFound } from './not-found.tsx';

/** Images shown on a CVE's page; the rest are in its export. */
const CVE_PAGE_IMAGES = 100;

export const cveRoutes = new Hono<AppEnv>()
  .get('/cves/', requireSignIn, async (c) => {
    const database = c.var.database;
    let feedTime: Date | null = null;
    let releases: string[] = [];
    const { state, page } = await readListPage(readListState(c.req.query(), CVES_SPEC), async (options) => {
      const read = await listCves(database, options);
      feedTime = read.feed?.feedTime ?? null;
      releases = read.feed?.releases ?? [];
      return read.page;
    });
    const props = {
      list: {
        ...createListView('/cves/', state, CVES_SPEC, page.total, { name: 'cves' }),
        filterPlaceholder: 'Filter by CVE id…',
        filterNoun: 'CVEs',
      },
      rows: page.rows,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <CveList {...props} />);
    return renderPage(
      c,
      { title: 'CVEs', subtitle: 'Debian security tracker', section: 'cves' },
      <CveListPage {...props} feedTime={feedTime} releases={releases} clock={readClock(c)} />,
    );
  })
  .get('/cves/:id{[A-Za-z0-9][-A-Za-z0-9_.]{0,63}}', requireSignIn, async (c) => {
    const database = c.var.database;
    const cve = await findCve(database, c.req.param('id'));
    if (!cve) return renderNotFound(c);
    const { state, page } = await readListPage(readListState(c.req.query(), CVE_OWNERS_SPEC), (options) =>
      listCveOwners(database, 'hosts', cve.cve, options),
    );
    const firstImages = toListOptions({ ...readListState({}, CVE_OWNERS_SPEC), per: CVE_PAGE_IMAGES });
    const images = await listCveOwners(database, 'images', cve.cve, firstImages);
    const list = {
      ...createListView(cvePath(cve.cve), state, CVE_OWNERS_SPEC, page.total, {
        name: 'cve-hosts',
        params: { cve: cve.cve },
      }),
      filterPlaceholder: 'Filter by hostname…',
    };
    if (wantsListFragment(c))
      return renderFragment(c, list, <CveOwnerList list={list} kind="hosts" rows={page.rows} />);
    const imagesExport = `/export/cve-images.csv${formatListQuery(readListState({}, CVE_OWNERS_SPEC), 'default', { cve: cve.cve })}`;
    return renderPage(
      c,
      { title: cve.cve, subtitle: 'CVE', section: 'cves' },
      <CveDetailPage
        cve={cve}
        clock={readClock(c)}
        list={list}
        rows={page.rows}
        images={{ rows: images.rows, total: images.total, export: imagesExport }}
      />,
    );
  });
