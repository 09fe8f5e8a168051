/** @jsxImportSource hono/jsx */
/** `/hosts/` and `/images/`: one row per host or image with its package counts. */

import type { InventoryRow } from '../../../store/read/inventory-list.ts';
import { EmptyText, ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';
import { hostPath, imagePath } from '../paths.ts';

export interface InventoryListProps {
  kind: 'hosts' | 'images';
  list: ListView;
  rows: InventoryRow[];
  clock: Clock;
  inventoryEmpty: boolean;
}

/** The swappable region: table and pager. */
export function InventoryList(props: InventoryListProps) {
  const { list } = props;
  const label = props.kind === 'hosts' ? 'Hostname' : 'Image name';
  const href = props.kind === 'hosts' ? hostPath : imagePath;
  return (
    <ListTable
      list={list}
      columns={6}
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
          <SortHeader list={list} sortKey="modified" label="Last update" />
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td class="name" data-label={label}>
            <a href={href(row.name)}>{row.name}</a>
          </td>
          <td data-label="OS">{row.os}</td>
          <td class="num" data-label="Packages">
            {row.packageCount}
          </td>
          <td class="num" data-label="Upgrades">
            {row.upgradeCount}
          </td>
          <td class="num" data-label="Security">
            {row.securityCount}
          </td>
          <td data-label="Last update" data-timestamp={String(Math.floor(row.modified.getTime() / 1000))}>
            <TimeAgo date={row.modified} clock={props.clock} />
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
