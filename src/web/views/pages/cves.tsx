/** @jsxImportSource hono/jsx */
/** `/cves/` (the CVEs touching the fleet) and `/cves/<id>` (docs/cve.md, "Pages"). */

import { describeUrgency, isTemporaryId } from '../../../domain/cve-match.ts';
import type { CveDetail, CveOwnerRow, CveRow, CveStatusRow, SourceCves } from '../../../store/read/cves.ts';
import { ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';
import { cvePath, hostPath, imagePath, sourcePackagePath } from '../paths.ts';

const TRACKER = 'https://security-tracker.debian.org/tracker/';

/** Without an import, lists and pages say so rather than showing an empty fleet. */
export function NoFeedText() {
  return (
    <p class="empty">
      No security tracker data imported yet (<code>debmonitor-server cve import</code>, or{' '}
      <code>CVE_REFRESH_HOURS</code>).
    </p>
  );
}

export interface CveListProps {
  list: ListView;
  rows: CveRow[];
}

/** "3 with a fix, 1 without, 2 uncertain" for one kind of owner. */
function Counts(props: { fixable: number; unfixed: number; other: number }) {
  const parts: string[] = [];
  if (props.fixable > 0) parts.push(`${props.fixable} fix available`);
  if (props.unfixed > 0) parts.push(`${props.unfixed} no fix`);
  if (props.other > 0) parts.push(`${props.other} uncertain`);
  return <>{parts.length > 0 ? parts.join(', ') : '0'}</>;
}

/** A CVE's hosts and images by state, as the fleet counts them. */
function FleetCountsCell({ row }: { row: FleetCounts }) {
  return (
    <td data-label="Hosts / images">
      {'hosts: '}
      <Counts fixable={row.hostsFixable} unfixed={row.hostsUnfixed} other={row.hostsOther} />
      {'; images: '}
      <Counts fixable={row.imagesFixable} unfixed={row.imagesUnfixed} other={row.imagesOther} />
    </td>
  );
}

type FleetCounts = Record<
  'hostsFixable' | 'hostsUnfixed' | 'hostsOther' | 'imagesFixable' | 'imagesUnfixed' | 'imagesOther',
  number
>;

/** The swappable CVE table. */
export function CveList(props: CveListProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={5}
      isEmpty={props.rows.length === 0}
      empty={
        list.state.q !== '' || list.state.filter !== 'all'
          ? 'No CVEs match these filters.'
          : 'No host or image is affected by a CVE the security tracker lists.'
      }
      head={
        <>
          <SortHeader list={list} sortKey="cve" label="CVE" />
          <th scope="col">Description</th>
          <SortHeader list={list} sortKey="urgency" label="Urgency" />
          <SortHeader list={list} sortKey="fixable" label="Fix available" class="num" />
          <SortHeader list={list} sortKey="affected" label="Hosts / images" />
        </>
      }
    >
      {props.rows.map((row) => (
        <tr data-cve={row.cve}>
          <td class="name" data-label="CVE">
            <a href={cvePath(row.cve)}>{row.cve}</a>
            {isTemporaryId(row.cve) ? ' (no CVE id yet)' : null}
          </td>
          <td data-label="Description">{shorten(row.description ?? '')}</td>
          <td data-label="Urgency">{describeUrgency(row.urgency).label}</td>
          <td class="num" data-label="Fix available">
            {row.fixable}
          </td>
          <FleetCountsCell row={row} />
        </tr>
      ))}
    </ListTable>
  );
}

function shorten(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** The CVE list page body. */
export function CveListPage(
  props: CveListProps & { feedTime: Date | null; releases: readonly string[]; clock: Clock },
) {
  if (props.feedTime === null) return <NoFeedText />;
  return (
    <>
      <p>
        Security tracker data from <TimeAgo date={props.feedTime} clock={props.clock} />, covering{' '}
        {props.releases.length > 0 ? props.releases.join(', ') : 'no release of the fleet'}: hosts and images
        on other releases are not covered (their CVEs are unknown, not absent). Hosts and images are counted
        by their worst state for the CVE; fixed and not-affected ones are not counted.
      </p>
      <ListControls list={props.list} />
      <CveList {...props} />
    </>
  );
}

const STATE_TEXT: Record<string, string> = {
  fixable: 'vulnerable, fix available',
  unfixed: 'vulnerable, no fix',
  uncertain: 'uncertain: version from another suite',
  undetermined: 'undetermined',
};

const REASON_TEXT: Record<string, string> = {
  'end-of-life': 'not supported (end-of-life)',
  unimportant: 'unimportant',
  ignored: 'ignored',
  postponed: 'postponed',
  'no-dsa': 'no DSA',
  unfixed: 'no fix yet',
};

function stateText(row: CveOwnerRow): string {
  if (row.state === 'unfixed' && row.reason) return `vulnerable, ${REASON_TEXT[row.reason] ?? row.reason}`;
  return STATE_TEXT[row.state] ?? row.state;
}

export interface CveOwnersProps {
  list: ListView;
  kind: 'hosts' | 'images';
  rows: CveOwnerRow[];
}

/** The swappable table of hosts (or images) with a finding for the CVE. */
export function CveOwnerList(props: CveOwnersProps) {
  const { list } = props;
  const noun = props.kind === 'hosts' ? 'Host' : 'Image';
  return (
    <ListTable
      list={list}
      columns={5}
      isEmpty={props.rows.length === 0}
      empty={<>No {props.kind} match these filters.</>}
      head={
        <>
          <SortHeader list={list} sortKey="name" label={noun} />
          <th scope="col">Source package</th>
          <th scope="col">Installed</th>
          <SortHeader list={list} sortKey="default" label="State" />
          <th scope="col">Fixed in</th>
        </>
      }
    >
      {props.rows.map((row) => (
        <FindingRow
          row={row}
          label={noun}
          href={props.kind === 'hosts' ? hostPath(row.name) : imagePath(row.name)}
          linkSource
        />
      ))}
    </ListTable>
  );
}

/** One host or image with its finding: installed version, state and the version that fixes it. */
function FindingRow(props: { row: CveOwnerRow; label: string; href: string; linkSource?: boolean }) {
  const { row } = props;
  return (
    <tr data-cve-state={row.state}>
      <td class="name" data-label={props.label}>
        <a href={props.href}>{row.name}</a>
      </td>
      <td data-label="Source package">
        {props.linkSource ? <a href={sourcePackagePath(row.source)}>{row.source}</a> : row.source}
      </td>
      <td class="version nowrap" data-label="Installed">
        {row.installedVersion}
      </td>
      <td data-label="State">{stateText(row)}</td>
      <td class="version nowrap" data-label="Fixed in">
        {row.fixedVersion ?? ''}
      </td>
    </tr>
  );
}

function statusText(row: CveStatusRow): string {
  if (row.status === 'resolved') return row.fixedVersion === '0' ? 'not affected' : 'fixed';
  if (row.status === 'undetermined') return 'undetermined';
  const reason =
    row.urgency === 'end-of-life'
      ? 'not supported (end-of-life)'
      : row.urgency === 'unimportant'
        ? 'unimportant'
        : row.nodsaReason === 'ignored' || row.nodsaReason === 'postponed'
          ? row.nodsaReason
          : row.nodsa !== null || row.nodsaReason !== null
            ? 'no DSA'
            : 'no fix yet';
  const note = row.nodsa ? ` (${row.nodsa})` : '';
  const queued = row.nextPointUpdate ? ', fix queued for the next point release' : '';
  return `open, ${reason}${note}${queued}`;
}

/** One CVE's page body: what the tracker says, per release, then the hosts and images it touches. */
export function CveDetailPage(
  props: {
    cve: CveDetail;
    clock: Clock;
    images: { rows: CveOwnerRow[]; total: number; export: string };
  } & Omit<CveOwnersProps, 'kind'>,
) {
  const { cve } = props;
  return (
    <>
      <dl class="summary">
        <dt>Description</dt>
        <dd>{cve.description ?? '(none given)'}</dd>
        {cve.scope ? (
          <>
            <dt>Scope</dt>
            <dd>{cve.scope}</dd>
          </>
        ) : null}
        {cve.debianBug !== null ? (
          <>
            <dt>Debian bug</dt>
            <dd>
              <a href={`https://bugs.debian.org/${cve.debianBug}`} rel="noopener noreferrer">
                #{cve.debianBug}
              </a>
            </dd>
          </>
        ) : null}
        <dt>Security tracker</dt>
        <dd>
          <a href={`${TRACKER}${encodeURIComponent(cve.cve)}`} rel="noopener noreferrer">
            {cve.cve}
          </a>
          {isTemporaryId(cve.cve) ? ' (no CVE id yet)' : null}; data from{' '}
          <TimeAgo date={cve.feed.feedTime} clock={props.clock} />
        </dd>
        <dt>Fleet</dt>
        <dd>
          {cve.fleet ? (
            <>
              hosts:{' '}
              <Counts
                fixable={cve.fleet.hostsFixable}
                unfixed={cve.fleet.hostsUnfixed}
                other={cve.fleet.hostsOther}
              />
              ; images:{' '}
              <Counts
                fixable={cve.fleet.imagesFixable}
                unfixed={cve.fleet.imagesUnfixed}
                other={cve.fleet.imagesOther}
              />
            </>
          ) : (
            'no host or image is affected'
          )}
        </dd>
      </dl>
      <h2>Per release</h2>
      {cve.statuses.length === 0 ? (
        <p>No release of the fleet has an entry for this CVE.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive" id="cve-statuses">
            <thead>
              <tr>
                <th>Release</th>
                <th>Source package</th>
                <th>Status</th>
                <th>Fixed version</th>
                <th>Urgency</th>
              </tr>
            </thead>
            <tbody>
              {cve.statuses.map((row) => (
                <tr>
                  <td data-label="Release">{row.codename}</td>
                  <td data-label="Source package">
                    <a href={sourcePackagePath(row.source)}>{row.source}</a>
                  </td>
                  <td data-label="Status">{statusText(row)}</td>
                  <td class="version nowrap" data-label="Fixed version">
                    {row.fixedVersion && row.fixedVersion !== '0' ? row.fixedVersion : ''}
                  </td>
                  <td data-label="Urgency">{describeUrgency(row.urgency).label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Hosts</h2>
      <ListControls list={props.list} />
      <CveOwnerList list={props.list} kind="hosts" rows={props.rows} />
      <h2>Images</h2>
      {props.images.total === 0 ? (
        <p>No image is affected.</p>
      ) : (
        <>
          <p>
            {props.images.total} images
            {props.images.total > props.images.rows.length
              ? `, the first ${props.images.rows.length} shown`
              : ''}{' '}
            (<a href={props.images.export}>all as CSV</a>).
          </p>
          <div class="table-wrap">
            <table class="responsive" id="cve-images">
              <thead>
                <tr>
                  <th>Image</th>
                  <th>Source package</th>
                  <th>Installed</th>
                  <th>State</th>
                  <th>Fixed in</th>
                </tr>
              </thead>
              <tbody>
                {props.images.rows.map((row) => (
                  <FindingRow row={row} label="Image" href={imagePath(row.name)} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

/** The CVE section of a package or source package page: its CVEs that touch the fleet. */
export function SourceCveSection(props: { cves: SourceCves; clock: Clock }) {
  const { cves } = props;
  return (
    <section class="cves" id="cves">
      <h2>Security (Debian security tracker)</h2>
      {cves.feedTime === null ? (
        <NoFeedText />
      ) : cves.total === 0 ? (
        <p>
          No CVE of this package touches a host or image (data from{' '}
          <TimeAgo date={cves.feedTime} clock={props.clock} />
          ).
        </p>
      ) : (
        <>
          <p>
            {cves.total} CVEs touch the fleet
            {cves.total > cves.rows.length ? `, the first ${cves.rows.length} shown` : ''}; counts are of
            hosts and images by their worst state for the CVE (data from{' '}
            <TimeAgo date={cves.feedTime} clock={props.clock} />
            ).
          </p>
          <div class="table-wrap">
            <table class="responsive" id="package-cves">
              <thead>
                <tr>
                  <th scope="col">CVE</th>
                  <th scope="col">Urgency</th>
                  <th scope="col" class="num">
                    Fix available
                  </th>
                  <th scope="col">Hosts / images</th>
                </tr>
              </thead>
              <tbody>
                {cves.rows.map((row) => (
                  <tr data-cve={row.cve}>
                    <td class="name" data-label="CVE">
                      <a href={cvePath(row.cve)}>{row.cve}</a>
                    </td>
                    <td data-label="Urgency">{describeUrgency(row.urgency).label}</td>
                    <td class="num" data-label="Fix available">
                      {row.fixable}
                    </td>
                    <FleetCountsCell row={row} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
