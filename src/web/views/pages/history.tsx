/** @jsxImportSource hono/jsx */
/**
 * The history pages (docs/history.md): a host's or image's timeline, the fleet's "what changed" in a
 * time range, and the recent changes section of package and source-package pages.
 */
import type { ChangeGroup, PackageChangeRow, TimelineRow } from '../../../store/read/history.ts';
import { EmptyRow, ListControls, ListTable, type ListView } from '../components/list.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';
import { CHANGES_PATH, hostPath, imagePath, packagePath, sourcePackagePath } from '../paths.ts';

/** How each kind of event reads. */
const KIND_LABELS: Record<string, string> = {
  installed: 'installed',
  upgraded: 'upgraded',
  downgraded: 'downgraded',
  removed: 'removed',
  baseline: 'first report',
  deleted: 'deleted',
};

/** The filter choices of a timeline and of the "what changed" page. */
export const TIMELINE_FILTER_OPTIONS = [
  ['all', 'Every change'],
  ['installed', 'Installed'],
  ['upgraded', 'Upgraded'],
  ['downgraded', 'Downgraded'],
  ['removed', 'Removed'],
  ['baseline', 'First reports'],
  ['deleted', 'Deletions'],
] as const;
export const CHANGES_FILTER_OPTIONS = TIMELINE_FILTER_OPTIONS.slice(0, 5);

function KindBadge(props: { kind: string }) {
  const tone =
    props.kind === 'upgraded'
      ? 'installed'
      : props.kind === 'removed' || props.kind === 'deleted'
        ? 'security'
        : 'upgrade';
  return <span class={`badge badge-${tone}`}>{KIND_LABELS[props.kind] ?? props.kind}</span>;
}

function Versions(props: { from: string | null; to: string | null }) {
  if (props.from !== null && props.to !== null)
    return (
      <>
        <span class="mono">{props.from}</span> → <span class="mono">{props.to}</span>
      </>
    );
  return <span class="mono">{props.to ?? props.from ?? ''}</span>;
}

export interface TimelineProps {
  kind: 'host' | 'image';
  name: string;
  list: ListView;
  rows: TimelineRow[];
  clock: Clock;
}

/** The swappable timeline table. */
export function TimelineList(props: TimelineProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={5}
      isEmpty={props.rows.length === 0}
      empty={
        <>
          {list.state.q !== '' || list.state.filter !== 'all'
            ? 'No changes match these filters.'
            : 'No history recorded yet.'}
        </>
      }
      head={
        <>
          <th scope="col">When</th>
          <th scope="col">Change</th>
          <th scope="col">Package</th>
          <th scope="col">Versions</th>
          <th scope="col">Report</th>
        </>
      }
    >
      {props.rows.map((row) => (
        <tr data-kind={row.kind}>
          <td data-label="When">
            <TimeAgo date={row.created} clock={props.clock} />
          </td>
          <td data-label="Change">
            <KindBadge kind={row.kind} />
          </td>
          <td class="name" data-label="Package">
            {row.packageName ? (
              <a href={packagePath(row.packageName)}>{row.packageName}</a>
            ) : row.kind === 'baseline' ? (
              `${row.detail ?? '?'} ${row.detail === '1' ? 'package' : 'packages'}`
            ) : (
              (row.detail ?? '')
            )}
          </td>
          <td class="version" data-label="Versions">
            <Versions from={row.fromVersion} to={row.toVersion} />
          </td>
          <td data-label="Report">{row.reportType ?? ''}</td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The timeline page body. */
export function TimelinePage(props: TimelineProps) {
  const back = props.kind === 'host' ? hostPath(props.name) : imagePath(props.name);
  return (
    <>
      <p>
        What reports did to <a href={back}>{props.name}</a>, newest first. See also{' '}
        <a href={CHANGES_PATH}>what changed across the fleet</a>.
      </p>
      <ListControls list={props.list} />
      <TimelineList {...props} />
    </>
  );
}

export interface ChangesProps {
  list: ListView;
  rows: ChangeGroup[];
  clock: Clock;
  range: string;
  from: string;
  to: string;
  hosts: string;
}

/** The swappable table of change groups. */
export function ChangesList(props: ChangesProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={5}
      isEmpty={props.rows.length === 0}
      empty={
        <>
          No package changed in this range{props.hosts || list.state.q ? ' on these hosts and packages' : ''}.
        </>
      }
      head={
        <>
          <th scope="col">Source package</th>
          <th scope="col">Change</th>
          <th scope="col">Versions</th>
          <th scope="col" class="num">
            Hosts
          </th>
          <th scope="col" class="num">
            Packages changed
          </th>
        </>
      }
    >
      {props.rows.map((row) => (
        <tr data-kind={row.kind}>
          <td class="name" data-label="Source package">
            <a href={sourcePackagePath(row.source)}>{row.source}</a>
          </td>
          <td data-label="Change">
            <KindBadge kind={row.kind} />
          </td>
          <td class="version" data-label="Versions">
            <Versions from={row.fromVersion} to={row.toVersion} />
          </td>
          <td class="num" data-label="Hosts">
            {row.hosts}
          </td>
          <td class="num" data-label="Packages changed">
            {row.changes}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The range, host pattern, package and kind form of the "what changed" page. */
function ChangesControls(props: ChangesProps) {
  const { list } = props;
  const ranges = [
    ['24h', 'Last 24 hours'],
    ['7d', 'Last 7 days'],
    ['30d', 'Last 30 days'],
    ['custom', 'From … to … (UTC days)'],
  ];
  return (
    <form id="list-filters" class="controls" method="get" action={list.path}>
      <label class="sr-only" for="changes-range">
        Range
      </label>
      <select id="changes-range" name="range">
        {ranges.map(([value, label]) => (
          <option value={value} selected={props.range === value}>
            {label}
          </option>
        ))}
      </select>
      <label for="changes-from">From</label>
      <input id="changes-from" type="date" name="from" value={props.from} />
      <label for="changes-to">to</label>
      <input id="changes-to" type="date" name="to" value={props.to} />
      <label class="sr-only" for="changes-hosts">
        Hosts
      </label>
      <input
        id="changes-hosts"
        type="search"
        name="hosts"
        value={props.hosts}
        placeholder="Hosts (*.example.org)…"
        autocomplete="off"
      />
      <label class="sr-only" for="list-q">
        Package
      </label>
      <input
        id="list-q"
        type="search"
        name="q"
        value={list.state.q}
        placeholder="Package…"
        autocomplete="off"
      />
      <label class="sr-only" for="list-filter">
        Show
      </label>
      <select id="list-filter" name="filter">
        {CHANGES_FILTER_OPTIONS.map(([value, label]) => (
          <option value={value} selected={list.state.filter === value}>
            {label}
          </option>
        ))}
      </select>
      <button type="submit">Apply</button>
      <span class="spacer" />
      {list.exports ? (
        <span class="downloads">
          Download:
          <a href={list.exports.csv} download>
            CSV
          </a>
          <a href={list.exports.json} download>
            JSON
          </a>
        </span>
      ) : null}
    </form>
  );
}

/** The "what changed" page body. */
export function ChangesPage(props: ChangesProps) {
  return (
    <>
      <p>
        Package changes the fleet's hosts reported in the range, by source package and versions, the changes
        on the most hosts first.
      </p>
      <ChangesControls {...props} />
      <ChangesList {...props} />
    </>
  );
}

/** Changes a package or source-package page shows. */
export const HISTORY_ROWS = 20;

export interface HistorySectionProps {
  rows: PackageChangeRow[];
  clock: Clock;
}

/** The recent changes section of a package or source-package page: the latest changes, newest first. */
export function PackageHistorySection(props: HistorySectionProps) {
  return (
    <section id="history">
      <h3>Recent changes</h3>
      <div class="table-wrap">
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Host or image</th>
              <th scope="col">Change</th>
              <th scope="col">Package</th>
              <th scope="col">Versions</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 ? (
              <EmptyRow columns={5}>No change recorded.</EmptyRow>
            ) : (
              props.rows.map((row) => (
                <tr data-kind={row.kind}>
                  <td data-label="When">
                    <TimeAgo date={row.created} clock={props.clock} />
                  </td>
                  <td class="name" data-label="Host or image">
                    {row.ownerName === null ? (
                      '(deleted)'
                    ) : (
                      <a href={row.ownerKind === 'host' ? hostPath(row.ownerName) : imagePath(row.ownerName)}>
                        {row.ownerName}
                      </a>
                    )}
                  </td>
                  <td data-label="Change">
                    <KindBadge kind={row.kind} />
                  </td>
                  <td data-label="Package">{row.packageName ?? ''}</td>
                  <td class="version" data-label="Versions">
                    <Versions from={row.fromVersion} to={row.toVersion} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
