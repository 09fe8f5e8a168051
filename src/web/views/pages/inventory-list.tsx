/** @jsxImportSource hono/jsx */
/** `/hosts/` and `/images/`: one row per host or image with its package counts. */

import { codenameOfOs } from '../../../domain/debian-releases.ts';
import type { InventoryRow, LivenessCutoffs } from '../../../store/read/inventory-list.ts';
import { Badge } from '../components/badges.tsx';
import { EmptyText, ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';
import { hostPath, imagePath } from '../paths.ts';

export interface InventoryListProps {
  kind: 'hosts' | 'images';
  list: ListView;
  rows: InventoryRow[];
  clock: Clock;
  inventoryEmpty: boolean;
  /** Hosts: the liveness cutoffs, to mark stale and silent hosts (docs/reboot.md). */
  cutoffs?: LivenessCutoffs;
  /** Hosts, filter `never_reported`: the expected names without a row, instead of `rows`. */
  neverReported?: string[];
  /** The releases the current CVE import covers; null without an import (docs/cve.md). */
  cveReleases?: readonly string[] | null;
}

/** A host's or image's fixable CVEs: a count, or why there is none to give. */
function FixableCves(props: {
  row: InventoryRow;
  href: string;
  releases: readonly string[] | null | undefined;
}) {
  const { row } = props;
  if (!props.releases) return <span title="No security tracker data imported yet">–</span>;
  const release = codenameOfOs(row.os);
  if (!release || !props.releases.includes(release))
    return <span title="Release not covered by the security tracker data">not covered</span>;
  if (row.cveFixable === 0) return <>0</>;
  return (
    <a href={`${props.href}#cves`}>
      {row.cveUrgent > 0 ? (
        <Badge kind="security" count={row.cveFixable} label={`${row.cveUrgent} of high or medium urgency`} />
      ) : (
        row.cveFixable
      )}
    </a>
  );
}

/** "stale" or "silent" beside the last update of a host that is either. */
function LivenessBadge(props: { row: InventoryRow; cutoffs?: LivenessCutoffs }) {
  const { row, cutoffs } = props;
  if (!cutoffs || row.lastFullReport === undefined) return null;
  if (row.modified < cutoffs.silent)
    return <Badge kind="security" count="silent" label="no report for too long" />;
  if (row.lastFullReport === null || row.lastFullReport < cutoffs.stale)
    return <Badge kind="upgrade" count="stale" label="no full report for too long" />;
  return null;
}

/** The swappable region: table and pager. */
export function InventoryList(props: InventoryListProps) {
  const { list } = props;
  const label = props.kind === 'hosts' ? 'Hostname' : 'Image name';
  const href = props.kind === 'hosts' ? hostPath : imagePath;
  if (props.neverReported) return <NeverReportedList list={list} names={props.neverReported} />;
  const hosts = props.kind === 'hosts';
  return (
    <ListTable
      list={list}
      columns={hosts ? 10 : 9}
      isEmpty={props.rows.length === 0}
      empty={
        <EmptyText
          inventoryEmpty={props.inventoryEmpty}
          filtered={list.state.q !== '' || list.state.filter !== 'all'}
          what={props.kind}
        />
      }
      head={
        <>
          <SortHeader list={list} sortKey="name" label={label} />
          <SortHeader list={list} sortKey="os" label="OS" />
          <SortHeader list={list} sortKey="packages" label="Packages" class="num" />
          <SortHeader list={list} sortKey="upgrades" label="Upgrades" class="num" />
          <SortHeader list={list} sortKey="security" label="Security" class="num" shows="descending" />
          <SortHeader list={list} sortKey="exposed" label="Security pending since" class="wrap" />
          <SortHeader list={list} sortKey="patched" label="Last patched" class="wrap" />
          <SortHeader list={list} sortKey="cves" label="Fixable CVEs" class="num wrap" />
          <SortHeader list={list} sortKey="modified" label="Last update" />
          {hosts ? <th scope="col">Reboot</th> : null}
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td class="name" data-label={label}>
            <a href={href(row.name)}>{row.name}</a>
          </td>
          <td class="nowrap" data-label="OS">
            {row.os}
          </td>
          <td class="num" data-label="Packages">
            {row.packageCount}
          </td>
          <td class="num" data-label="Upgrades">
            {row.upgradeCount}
          </td>
          <td class="num" data-label="Security">
            {row.securityCount}
          </td>
          <td data-label="Security pending since">
            <TimeAgo date={row.securitySince} clock={props.clock} />
          </td>
          <td data-label="Last patched">
            {row.lastUpgraded ? <TimeAgo date={row.lastUpgraded} clock={props.clock} /> : 'none seen'}
          </td>
          <td class="num" data-label="Fixable CVEs">
            <FixableCves row={row} href={href(row.name)} releases={props.cveReleases} />
          </td>
          <td data-label="Last update" data-timestamp={String(Math.floor(row.modified.getTime() / 1000))}>
            <TimeAgo date={row.modified} clock={props.clock} />{' '}
            <LivenessBadge row={row} cutoffs={props.cutoffs} />
          </td>
          {hosts ? (
            <td data-label="Reboot">
              {row.rebootRequired ? <Badge kind="security" count="required" label="reboot required" /> : null}
            </td>
          ) : null}
        </tr>
      ))}
    </ListTable>
  );
}

/** Expected hosts that never reported: names only, paged like any list. */
function NeverReportedList(props: { list: ListView; names: string[] }) {
  return (
    <ListTable
      list={props.list}
      columns={1}
      isEmpty={props.names.length === 0}
      empty={<>Every expected host has reported.</>}
      head={<th scope="col">Expected hostname</th>}
    >
      {props.names.map((name) => (
        <tr>
          <td class="name" data-label="Expected hostname">
            {name}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The hosts or images page body. */
export function InventoryListPage(props: InventoryListProps) {
  return (
    <>
      <ListControls list={props.list} />
      <InventoryList {...props} />
    </>
  );
}
