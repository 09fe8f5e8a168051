/** @jsxImportSource hono/jsx */
/** `GET /search?q=…`: GET only, as upstream (HEAD and every other method answer 405). */
import { Hono } from 'hono';
import { search } from '../../../store/read/search.ts';
import { withSearchDetails } from '../../../store/read/search-details.ts';
import { requireSignIn } from '../../access/rules.tsx';
import type { AppEnv } from '../../env.ts';
import { SEARCH_SPEC } from '../../list-specs.ts';
import { readListPage, readListState } from '../../list-state.ts';
import { createListView, renderFragment, renderPage, wantsListFragment } from '../../render.tsx';
import { SearchPage, SearchResults } from '../../views/pages/search.tsx';

export const searchRoutes = new Hono<AppEnv>().all('/search', requireSignIn, async (c) => {
  // Hono would answer HEAD with a GET route, so this route takes every method and keeps GET only.
  if (c.req.method !== 'GET') return c.body(null, 405, { Allow: 'GET' });
  const database = c.var.database;
  const minLength = c.var.config.SEARCH_MIN_LENGTH;
  const asked = readListState(c.req.query(), SEARCH_SPEC);
  const q = asked.q;
  const valid = q.length >= minLength;
  const { state, page } = valid
    ? await readListPage(asked, async (options) => {
        const hits = await search(database, q, options);
        return { total: hits.total, rows: await withSearchDetails(database, hits.rows) };
      })
    : { state: asked, page: { rows: [], total: 0 } };
  const props = {
    list: createListView('/search', state, SEARCH_SPEC, page.total, valid ? { name: 'search' } : undefined),
    rows: page.rows,
    invalidMinLength: valid ? undefined : minLength,
  };
  if (wantsListFragment(c)) return renderFragment(c, props.list, <SearchResults {...props} />);
  return renderPage(c, { title: 'Search Results', subtitle: q, searchQuery: q }, <SearchPage {...props} />);
});
