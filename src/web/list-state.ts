/**
 * The state of a list in its URL: `?page=2&per=100&sort=-security&q=text&filter=security`. Every
 * state is a link; defaults are left out so URLs stay short. Unknown values fall back to defaults.
 */

import type { EventKind } from '../domain/package-events.ts';
import {
  CVE_FILTERS,
  type CveFilter,
  EXPOSURE_FILTERS,
  type ExposureFilter,
  HOST_FILTERS,
  type HostFilter,
  type ListFilter,
  type UpgradeFilter,
} from '../store/read/list-options.ts';

export type { UpgradeFilter };
export const PAGE_SIZES = [25, 50, 100, 500] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** What a list accepts: its sort keys, and which of them start descending on the first click. */
export interface ListSpec<Sort extends string> {
  sorts: readonly Sort[];
  defaultSort: Sort;
  /** Keys whose first click sorts descending (counts, dates). */
  descendingFirst?: readonly Sort[];
  /** Whether the upgrade filter applies to this list. */
  upgradeFilter?: boolean;
  /** Whether the host filters (reboot, liveness) apply to this list. */
  hostFilter?: boolean;
  /** Whether the exposure filters (security pending for N days, not patched) apply (docs/history.md). */
  exposureFilter?: boolean;
  /** The history event kinds this list filters on (docs/history.md). */
  eventFilter?: readonly EventKind[];
  /** Whether the CVE filters (a fix available, urgent ones) apply to this list. */
  cveFilter?: boolean;
}

export interface ListState<Sort extends string = string> {
  page: number;
  per: number;
  sort: Sort;
  descending: boolean;
  q: string;
  filter: ListFilter;
}

/** Reads a list state from query parameters, ignoring values the list does not know. */
export function readListState<Sort extends string>(
  query: Record<string, string | undefined>,
  spec: ListSpec<Sort>,
): ListState<Sort> {
  const rawSort = query.sort ?? '';
  const descending = rawSort.startsWith('-');
  const key = (descending ? rawSort.slice(1) : rawSort) as Sort;
  const known = spec.sorts.includes(key);
  const page = Number.parseInt(query.page ?? '', 10);
  const per = Number.parseInt(query.per ?? '', 10);
  const filter = query.filter;
  return {
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
    per: (PAGE_SIZES as readonly number[]).includes(per) ? per : DEFAULT_PAGE_SIZE,
    sort: known ? key : spec.defaultSort,
    descending: known ? descending : false,
    q: (query.q ?? '').trim().slice(0, 200),
    filter:
      spec.upgradeFilter && (filter === 'upgradable' || filter === 'security')
        ? filter
        : spec.hostFilter && HOST_FILTERS.includes(filter as HostFilter)
          ? (filter as HostFilter)
          : spec.exposureFilter && EXPOSURE_FILTERS.includes(filter as ExposureFilter)
            ? (filter as ExposureFilter)
            : spec.eventFilter?.includes(filter as EventKind)
              ? (filter as EventKind)
              : spec.cveFilter && CVE_FILTERS.includes(filter as CveFilter)
                ? (filter as CveFilter)
                : 'all',
  };
}

/** The store's view of a state: offset and limit instead of page numbers. */
export function toListOptions<Sort extends string>(state: ListState<Sort>) {
  return {
    offset: (state.page - 1) * state.per,
    limit: state.per,
    sort: state.sort,
    descending: state.descending,
    q: state.q,
    filter: state.filter,
  };
}

/** Serializes a state as a query string (`?…`, or '' when everything is default). */
export function formatListQuery(
  state: ListState,
  defaultSort: string,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams(extra);
  if (state.q) params.set('q', state.q);
  if (state.filter !== 'all') params.set('filter', state.filter);
  if (state.sort !== defaultSort || state.descending)
    params.set('sort', `${state.descending ? '-' : ''}${state.sort}`);
  if (state.per !== DEFAULT_PAGE_SIZE) params.set('per', String(state.per));
  if (state.page !== 1) params.set('page', String(state.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Reads one page of a list. A page past the end (an old link, a list that shrank since) reads the
 * last page instead, and the state returned says so; only that case costs a second read.
 */
export async function readListPage<Sort extends string, Row>(
  state: ListState<Sort>,
  read: (options: ReturnType<typeof toListOptions<Sort>>) => Promise<{ rows: Row[]; total: number }>,
): Promise<{ state: ListState<Sort>; page: { rows: Row[]; total: number } }> {
  const page = await read(toListOptions(state));
  const last = Math.max(1, Math.ceil(page.total / state.per));
  if (page.rows.length > 0 || state.page <= last) return { state, page };
  const clamped = { ...state, page: last };
  return { state: clamped, page: await read(toListOptions(clamped)) };
}
