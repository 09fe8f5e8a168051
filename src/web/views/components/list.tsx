/** @jsxImportSource hono/jsx */
/**
 * The parts every list shares: the filter form, sortable headers, the pager and the region htmx
 * swaps. Every control is a plain link or a GET form, so lists work without JavaScript; htmx only
 * replaces the `#list` region and pushes the new URL.
 */
import type { Child } from 'hono/jsx';
import { formatListQuery, type ListState, PAGE_SIZES } from '../../list-state.ts';

/** A list's current state and how to link to other states of it. */
export interface ListView {
  /** Path of the page the list lives on (`/hosts/`, `/hosts/host1.example.com`…), already encoded. */
  path: string;
  state: ListState;
  defaultSort: string;
  descendingFirst?: readonly string[];
  total: number;
  /** CSV and JSON export URLs for the current filters (without paging), when the list has them. */
  exports?: { csv: string; json: string };
  /** Show the upgrade filter (all / upgradable / security). */
  upgradeFilter?: boolean;
  /** Add the host filters (reboot required, liveness) to it. */
  hostFilter?: boolean;
  /** Add the history filters (security pending for N days, not patched) to it (docs/history.md). */
  exposureFilter?: boolean;
  /** Show the CVE filters (a fix available, high or medium with a fix). */
  cveFilter?: boolean;
  /** With the host filters: offer "never reported" too (an expected-hosts file is configured). */
  expectedHosts?: boolean;
  /** Placeholder of the filter box. */
  filterPlaceholder?: string;
  /** What the list's rows are, for the upgrade filter's labels ("Show only hosts with upgrades"). */
  filterNoun?: string;
  /** A list's own filter choices (value, label), shown instead of the upgrade filter. */
  filterOptions?: readonly (readonly [string, string])[];
  /** Query parameters of the page that every link of the list keeps (a time range…). */
  params?: Record<string, string>;
}

/** The URL of `list` with some of its state changed. */
export function listHref(list: ListView, changes: Partial<ListState>): string {
  return `${list.path}${formatListQuery({ ...list.state, ...changes }, list.defaultSort, list.params)}`;
}

/** The filter form: text filter, upgrade filter, page size and download links. */
export function ListControls(props: { list: ListView }) {
  const { list } = props;
  const noun = list.filterNoun ?? 'packages';
  return (
    <form
      id="list-filters"
      class="controls"
      method="get"
      action={list.path}
      hx-get={list.path}
      hx-target="#list"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change, input delay:350ms"
    >
      <label class="sr-only" for="list-q">
        Filter
      </label>
      <input
        id="list-q"
        type="search"
        name="q"
        value={list.state.q}
        placeholder={list.filterPlaceholder ?? 'Filter…'}
        autocomplete="off"
      />
      {Object.entries(list.params ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {list.filterOptions ? (
        <>
          <label class="sr-only" for="list-filter">
            Show
          </label>
          <select id="list-filter" name="filter">
            {list.filterOptions.map(([value, label]) => (
              <option value={value} selected={list.state.filter === value}>
                {label}
              </option>
            ))}
          </select>
        </>
      ) : null}
      {list.upgradeFilter ? (
        <>
          <label class="sr-only" for="list-filter">
            Show
          </label>
          <select id="list-filter" name="filter">
            <option value="all" selected={list.state.filter === 'all'}>
              Show all {noun}
            </option>
            <option value="upgradable" selected={list.state.filter === 'upgradable'}>
              Show only {noun} with upgrades
            </option>
            <option value="security" selected={list.state.filter === 'security'}>
              Show only {noun} with security upgrades
            </option>
            {list.hostFilter ? (
              <HostFilterOptions selected={list.state.filter} expectedHosts={list.expectedHosts ?? false} />
            ) : null}
            {list.exposureFilter ? <ExposureFilterOptions selected={list.state.filter} noun={noun} /> : null}
            {list.cveFilter ? <CveFilterOptions selected={list.state.filter} noun={noun} /> : null}
          </select>
        </>
      ) : list.cveFilter ? (
        <>
          <label class="sr-only" for="list-filter">
            Show
          </label>
          <select id="list-filter" name="filter">
            <option value="all" selected={list.state.filter === 'all'}>
              Show all {noun}
            </option>
            <CveFilterOptions selected={list.state.filter} noun={noun} />
          </select>
        </>
      ) : null}
      <label class="sr-only" for="list-per">
        Rows per page
      </label>
      <select id="list-per" name="per">
        {PAGE_SIZES.map((size) => (
          <option value={String(size)} selected={list.state.per === size}>
            {size} per page
          </option>
        ))}
      </select>
      <button type="submit">Apply</button>
      <span class="spacer" />
      <DownloadLinks list={list} />
    </form>
  );
}

/** The hosts list's extra filter options (docs/reboot.md). */
function HostFilterOptions(props: { selected: string; expectedHosts: boolean }) {
  const options: [string, string][] = [
    ['reboot', 'Show only hosts that must reboot'],
    ['reporting', 'Show only reporting hosts'],
    ['stale', 'Show only stale hosts'],
    ['silent', 'Show only silent hosts'],
    ...(props.expectedHosts
      ? [['never_reported', 'Show only expected hosts that never reported'] as [string, string]]
      : []),
  ];
  return <OptionList options={options} selected={props.selected} />;
}

/** `<option>`s of [value, label] pairs, the selected one marked. */
function OptionList(props: { options: [string, string][]; selected: string }) {
  return (
    <>
      {props.options.map(([value, label]) => (
        <option value={value} selected={props.selected === value}>
          {label}
        </option>
      ))}
    </>
  );
}

/** The hosts and images lists' history filters (docs/history.md). */
function ExposureFilterOptions(props: { selected: string; noun: string }) {
  const options: [string, string][] = [
    ['exposed_1d', `Show only ${props.noun} with a security upgrade pending for over 1 day`],
    ['exposed_7d', `Show only ${props.noun} with a security upgrade pending for over 7 days`],
    ['exposed_30d', `Show only ${props.noun} with a security upgrade pending for over 30 days`],
    ['unpatched_30d', `Show only ${props.noun} not patched in the last 30 days`],
  ];
  return <OptionList options={options} selected={props.selected} />;
}

/** The CVE filters' options (docs/cve.md, "Pages"). */
function CveFilterOptions(props: { selected: string; noun: string }) {
  const what = props.noun === 'CVEs' ? 'CVEs' : `${props.noun} with CVEs`;
  return (
    <>
      <option value="fixable" selected={props.selected === 'fixable'}>
        Show only {what} with a fix available
      </option>
      <option value="urgent" selected={props.selected === 'urgent'}>
        Show only {what} of high or medium urgency with a fix available
      </option>
    </>
  );
}

/** Links to the CSV and JSON exports of the list's current filters. */
export function DownloadLinks(props: { list: ListView }) {
  const exports = props.list.exports;
  if (!exports) return null;
  return (
    <span class="downloads">
      Download:
      <a href={exports.csv} download>
        CSV
      </a>
      <a href={exports.json} download>
        JSON
      </a>
    </span>
  );
}

/**
 * A column header that sorts the list by `sortKey` (toggling the direction when already sorted by
 * it). `shows` marks the header whose column leads the list's default order (hosts by security
 * upgrades, descending…), so that the default sort shows its arrow too.
 */
export function SortHeader(props: {
  list: ListView;
  sortKey: string;
  label: string;
  class?: string;
  title?: string;
  shows?: 'ascending' | 'descending';
  children?: Child;
}) {
  const { list, sortKey } = props;
  const byDefault =
    props.shows !== undefined && list.state.sort === list.defaultSort && sortKey !== list.defaultSort;
  const active = list.state.sort === sortKey || byDefault;
  const shownDescending = byDefault ? props.shows === 'descending' : list.state.descending;
  const firstDescending = list.descendingFirst?.includes(sortKey) ?? false;
  const descending = active ? !shownDescending : firstDescending;
  const href = listHref(list, { sort: sortKey, descending, page: 1 });
  return (
    <th
      class={props.class}
      scope="col"
      title={props.title}
      aria-sort={active ? (shownDescending ? 'descending' : 'ascending') : undefined}
    >
      <a href={href} hx-get={href} class={active ? 'sorted' : undefined}>
        {props.label}
        {active ? <span class="sort-mark">{shownDescending ? '▼' : '▲'}</span> : null}
      </a>
      {props.children}
    </th>
  );
}

/**
 * The page numbers a pager shows: the first, the last, and two either side of the current one; a
 * gap of one page shows that page, a longer one an ellipsis (`null`): 1 2 3 4 5 … 9.
 */
export function pagerItems(current: number, pages: number): (number | null)[] {
  const shown = new Set([1, pages]);
  for (let page = Math.max(1, current - 2); page <= Math.min(pages, current + 2); page++) shown.add(page);
  const sorted = [...shown].sort((a, b) => a - b);
  const items: (number | null)[] = [];
  for (const [index, page] of sorted.entries()) {
    const before = sorted[index - 1];
    if (before !== undefined && page - before === 2) items.push(page - 1);
    else if (before !== undefined && page - before > 2) items.push(null);
    items.push(page);
  }
  return items;
}

/** Pagination: position, previous/next and the page numbers of pagerItems. */
export function Pager(props: { list: ListView }) {
  const { list } = props;
  const pages = Math.max(1, Math.ceil(list.total / list.state.per));
  const current = list.state.page;
  const first = list.total === 0 ? 0 : (current - 1) * list.state.per + 1;
  const last = Math.min(list.total, current * list.state.per);
  const step = (page: number, label: string, rel?: string) =>
    page < 1 || page > pages || page === current ? (
      <span class="disabled">{label}</span>
    ) : (
      <a href={listHref(list, { page })} hx-get={listHref(list, { page })} rel={rel}>
        {label}
      </a>
    );
  return (
    <div class="pager">
      {/* An empty list says why in its table; "0–0 of 0" would add nothing. */}
      {list.total === 0 ? null : (
        <span class="position">
          {first > last ? `0 of ${list.total}` : `${first}–${last} of ${list.total}`}
        </span>
      )}
      {pages > 1 || current > 1 ? (
        <nav aria-label="Pages">
          {step(Math.min(current - 1, pages), '‹ Previous', 'prev')}
          {pagerItems(current, pages).map((page) =>
            page === null ? (
              <span class="gap" aria-hidden="true">
                …
              </span>
            ) : page === current ? (
              <span class="current" aria-current="page">
                {page}
              </span>
            ) : (
              step(page, String(page))
            ),
          )}
          {step(current + 1, 'Next ›', 'next')}
        </nav>
      ) : null}
    </div>
  );
}

/** The region htmx replaces: the table, the pager, and the sort the filter form must keep. */
export function ListRegion(props: { list: ListView; children?: Child }) {
  const { list } = props;
  const sort = list.state.sort !== list.defaultSort || list.state.descending;
  return (
    <div id="list" hx-target="#list" hx-swap="outerHTML" hx-push-url="true">
      {sort ? (
        <input
          type="hidden"
          form="list-filters"
          name="sort"
          value={`${list.state.descending ? '-' : ''}${list.state.sort}`}
        />
      ) : null}
      {props.children}
      <Pager list={list} />
    </div>
  );
}

/** The row shown in an empty table. */
export function EmptyRow(props: { columns: number; children?: Child }) {
  return (
    <tr>
      <td colspan={props.columns} class="empty-cell" data-label="">
        {props.children}
      </td>
    </tr>
  );
}

/** The text of an empty list: a first-run hint when the fleet is empty, otherwise "nothing matches". */
export function EmptyText(props: { inventoryEmpty: boolean; filtered: boolean; what: string }) {
  if (props.inventoryEmpty) return <>No hosts have reported yet — see the README to point an agent here.</>;
  if (props.filtered) return <>No {props.what} match these filters.</>;
  return <>No {props.what} yet.</>;
}

/** A list's swappable table: header row, the rows, or one empty-state row spanning every column. */
export function ListTable(props: {
  list: ListView;
  columns: number;
  head: Child;
  isEmpty: boolean;
  empty: Child;
  children?: Child;
}) {
  return (
    <ListRegion list={props.list}>
      <div class="table-wrap">
        <table class="responsive">
          <thead>
            <tr>{props.head}</tr>
          </thead>
          <tbody>
            {props.isEmpty ? <EmptyRow columns={props.columns}>{props.empty}</EmptyRow> : props.children}
          </tbody>
        </table>
      </div>
    </ListRegion>
  );
}
