/** @jsxImportSource hono/jsx */
/** `/history/host/<name>`, `/history/image/<name…>` and `/changes/` (docs/history.md). */
import { type Context, Hono } from 'hono';
import { listChanges, listTimeline } from '../../../store/read/history.ts';
import { findHost } from '../../../store/read/hosts.ts';
import { findImage } from '../../../store/read/images.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { readChangesRange, readHostPattern } from '../../history-range.ts';
import { CHANGES_SPEC, TIMELINE_SPEC } from '../../list-specs.ts';
import { readListPage, readListState } from '../../list-state.ts';
import { createListView, readClock, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import {
  ChangesList,
  ChangesPage,
  TIMELINE_FILTER_OPTIONS,
  TimelineList,
  TimelinePage,
} from '../../views/pages/history.tsx';
import { historyPath } from '../../views/paths.ts';
import { renderNotFound } from './not-found.tsx';

async function timelinePage(c: Context<AppEnv>, kind: 'host' | 'image', name: string) {
  const database = c.var.database;
  const owner = kind === 'host' ? await findHost(database, name) : await findImage(database, name);
  if (!owner) return renderNotFound(c);
  const { state, page } = await readListPage(readListState(c.req.query(), TIMELINE_SPEC), (options) =>
    listTimeline(database, kind, owner.id, options),
  );
  const props = {
    kind,
    name: owner.name,
    list: {
      ...createListView(historyPath(kind, owner.name), state, TIMELINE_SPEC, page.total, {
        name: `${kind}-history`,
        params: { [kind]: owner.name },
      }),
      filterPlaceholder: 'Filter by package…',
      filterOptions: TIMELINE_FILTER_OPTIONS,
    },
    rows: page.rows,
    clock: readClock(c),
  };
  if (wantsListFragment(c)) return renderFragment(c, props.list, <TimelineList {...props} />);
  return renderPage(
    c,
    { title: `History of ${owner.name}`, subtitle: kind === 'host' ? 'Host' : 'Image', section: `${kind}s` },
    <TimelinePage {...props} />,
  );
}

export const historyRoutes = new Hono<AppEnv>()
  .get('/history/host/:name', requireSignIn, (c) => timelinePage(c, 'host', c.req.param('name')))
  .get('/history/image/:name{.+}', requireSignIn, (c) => timelinePage(c, 'image', c.req.param('name')))
  .get('/changes/', requireSignIn, async (c) => {
    const database = c.var.database;
    const query = c.req.query();
    const clock = readClock(c);
    const range = readChangesRange(query, clock.now);
    const hosts = readHostPattern(query);
    const { state, page } = await readListPage(readListState(query, CHANGES_SPEC), (options) =>
      listChanges(database, { ...options, from: range.from, to: range.to, hosts }),
    );
    const params = { ...range.params, ...(hosts ? { hosts } : {}) };
    const lastDay = new Date(range.to.getTime() - 1);
    const props = {
      list: {
        ...createListView('/changes/', state, CHANGES_SPEC, page.total, { name: 'changes', params }),
        params,
      },
      rows: page.rows,
      clock,
      range: range.range,
      from: range.from.toISOString().slice(0, 10),
      to: lastDay.toISOString().slice(0, 10),
      hosts,
    };
    if (wantsListFragment(c)) return renderFragment(c, props.list, <ChangesList {...props} />);
    return renderPage(c, { title: 'What changed', section: 'changes' }, <ChangesPage {...props} />);
  });
