/** What every list query takes and gives: one page of rows, sorted and filtered on the server. */
import type { EventKind } from '../../domain/package-events.ts';

/** Which rows of a package list to keep. */
export type UpgradeFilter = 'all' | 'upgradable' | 'security';

/** Filters only the hosts list has: reboot required, and each liveness state (docs/reboot.md). */
export const HOST_FILTERS = ['reboot', 'reporting', 'stale', 'silent', 'never_reported'] as const;
export type HostFilter = (typeof HOST_FILTERS)[number];

/**
 * Filters on the history facts of hosts and images (docs/history.md): a security upgrade pending for
 * more than 1, 7 or 30 days, and no upgrade in the last 30 days.
 */
export const EXPOSURE_FILTERS = ['exposed_1d', 'exposed_7d', 'exposed_30d', 'unpatched_30d'] as const;
export type ExposureFilter = (typeof EXPOSURE_FILTERS)[number];

/** Days of each exposure filter. */
export const EXPOSURE_FILTER_DAYS: Record<ExposureFilter, number> = {
  exposed_1d: 1,
  exposed_7d: 7,
  exposed_30d: 30,
  unpatched_30d: 30,
};

/** Any list's filter; host filters reach only the hosts list (its spec enables them). */
export type ListFilter = UpgradeFilter | HostFilter | ExposureFilter | EventKind | CveFilter;

/**
 * CVE filters (docs/cve.md, "Pages"): CVEs, hosts or images with a fix available, and of those the
 * high- or medium-urgency ones.
 */
export const CVE_FILTERS = ['fixable', 'urgent'] as const;
export type CveFilter = (typeof CVE_FILTERS)[number];

/** One page of a list, with the sort key (from a fixed set per list) and the filters. */
export interface ListOptions<Sort extends string> {
  offset: number;
  limit: number;
  sort: Sort;
  descending: boolean;
  /** Case-insensitive substring filter on the list's text columns; '' keeps every row. */
  q: string;
  filter: ListFilter;
}

/** A list's sort and filters without the paging: what an export reads (every row). */
export type ExportOptions<Sort extends string> = Omit<ListOptions<Sort>, 'offset' | 'limit'>;

/** A page of rows and the number of rows across all pages. */
export interface Page<Row> {
  rows: Row[];
  total: number;
}

/** Slices an in-memory list the way a query with LIMIT/OFFSET would. */
export function slicePage<Row>(rows: Row[], options: { offset: number; limit: number }): Page<Row> {
  return { rows: rows.slice(options.offset, options.offset + options.limit), total: rows.length };
}

/** True when `text` contains `q`, ignoring case (the in-memory twin of spelling.containsIgnoringCase). */
export function containsIgnoringCase(text: string, q: string): boolean {
  return text.toLowerCase().includes(q.toLowerCase());
}
