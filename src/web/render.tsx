/** @jsxImportSource hono/jsx */
/** Turning views into responses: full pages through the layout, or just the list region for htmx. */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from './env.ts';
import type { ListSpec, ListState } from './list-state.ts';
import { formatListQuery } from './list-state.ts';
import { type ListView, listHref } from './views/components/list.tsx';
import type { Clock } from './views/components/time-ago.tsx';
import { Layout, type LayoutProps } from './views/layout.tsx';

type PageContext = Context<AppEnv>;

/** True for an htmx request that wants only the `#list` region (not a history restore). */
export function wantsListFragment(c: PageContext): boolean {
  return (
    c.req.header('HX-Request') === 'true' &&
    c.req.header('HX-Target') === 'list' &&
    c.req.header('HX-History-Restore-Request') !== 'true'
  );
}

/** The clock pages render times against. */
export function readClock(c: PageContext): Clock {
  return { now: new Date(), timeZone: c.var.config.TIME_ZONE };
}

function setPageHeaders(c: PageContext): void {
  // The same URL answers a full page or a fragment: caches must keep them apart.
  c.header('Vary', 'HX-Request, HX-Target');
  c.header('Cache-Control', 'no-cache, private');
}

/** Renders `body` inside the layout, with the signed-in user and the search settings. */
export function renderPage(
  c: PageContext,
  layout: Omit<LayoutProps, 'children' | 'user' | 'csrfToken' | 'searchMinLength' | 'openToAnonymous'>,
  body: Child,
  status: 200 | 404 | 500 = 200,
): Response | Promise<Response> {
  setPageHeaders(c);
  const page = (
    <Layout
      {...layout}
      user={c.var.user ?? null}
      csrfToken={c.var.csrfToken}
      searchMinLength={c.var.config.SEARCH_MIN_LENGTH}
      openToAnonymous={!c.var.config.REQUIRE_LOGIN}
    >
      {body}
    </Layout>
  );
  return c.html(`<!DOCTYPE html>${page}`, status);
}

/**
 * Renders only a list region, for htmx. `HX-Push-Url` gives the browser the canonical URL of the new
 * state (a submitted filter form would otherwise push every field, defaults included).
 */
export function renderFragment(c: PageContext, list: ListView, body: Child): Response | Promise<Response> {
  setPageHeaders(c);
  c.header('HX-Push-Url', listHref(list, {}));
  return c.html(`${body}`);
}

/** Builds the list view of a page: its path, state and the export links for the same filters. */
export function createListView(
  path: string,
  state: ListState,
  spec: ListSpec<string>,
  total: number,
  exportPath?: { name: string; params?: Record<string, string> },
): ListView {
  const exports = exportPath
    ? {
        csv: `/export/${exportPath.name}.csv${formatListQuery({ ...state, page: 1, per: 50 }, spec.defaultSort, exportPath.params)}`,
        json: `/export/${exportPath.name}.json${formatListQuery({ ...state, page: 1, per: 50 }, spec.defaultSort, exportPath.params)}`,
      }
    : undefined;
  return {
    path,
    state,
    defaultSort: spec.defaultSort,
    descendingFirst: spec.descendingFirst,
    upgradeFilter: spec.upgradeFilter,
    hostFilter: spec.hostFilter,
    exposureFilter: spec.exposureFilter,
    cveFilter: spec.cveFilter,
    total,
    exports,
  };
}
