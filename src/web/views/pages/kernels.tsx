/** @jsxImportSource hono/jsx */
/** `/kernels/` and one kernel's hosts. */

import type { KernelRow } from '../../../store/read/kernels.ts';
import { EmptyText, ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';
import { hostPath, kernelPath } from '../paths.ts';

export interface KernelListProps {
  list: ListView;
  rows: KernelRow[];
  inventoryEmpty: boolean;
}

/** The swappable kernel table. */
export function KernelList(props: KernelListProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={4}
      isEmpty={props.rows.length === 0}
      empty={
        <EmptyText inventoryEmpty={props.inventoryEmpty} filtered={list.state.q !== ''} what="kernels" />
      }
      head={
        <>
          <SortHeader list={list} sortKey="default" label="OS" />
          <SortHeader list={list} sortKey="name" label="Kernel" />
          <th scope="col">Release</th>
          <SortHeader list={list} sortKey="hosts" label="# Hosts" class="num" />
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td data-label="OS">{row.os}</td>
          <td class="name" data-label="Kernel">
            <a href={kernelPath(row)}>{row.name}</a>
          </td>
          <td class="version" data-label="Release">
            {row.release ?? ''}
          </td>
          <td class="num" data-label="# Hosts">
            {row.hostCount}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The kernels page body. */
export function KernelListPage(props: KernelListProps) {
  return (
    <>
      <ListControls list={props.list} />
      <KernelList {...props} />
    </>
  );
}

export interface KernelHostsProps {
  list: ListView;
  rows: { name: string; modified: Date }[];
  clock: Clock;
}

/** The swappable table of hosts running a kernel. */
export function KernelHostList(props: KernelHostsProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={2}
      isEmpty={props.rows.length === 0}
      empty={<>No hosts match these filters.</>}
      head={
        <>
          <SortHeader list={list} sortKey="name" label="Hostname" />
          <SortHeader list={list} sortKey="modified" label="Last update" />
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td class="name" data-label="Hostname">
            <a href={hostPath(row.name)}>{row.name}</a>
          </td>
          <td data-label="Last update">
            <TimeAgo date={row.modified} clock={props.clock} />
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** One kernel's page body. */
export function KernelDetailPage(
  props: KernelHostsProps & { kernel: { os: string; release: string | null } },
) {
  return (
    <>
      <dl class="summary">
        <dt>OS</dt>
        <dd>{props.kernel.os}</dd>
        {props.kernel.release ? (
          <>
            <dt>Release</dt>
            <dd class="mono">{props.kernel.release}</dd>
          </>
        ) : null}
        <dt>Hosts</dt>
        <dd>{props.list.total}</dd>
      </dl>
      <ListControls list={props.list} />
      <KernelHostList {...props} />
    </>
  );
}
