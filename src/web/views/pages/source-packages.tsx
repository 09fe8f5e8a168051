/** @jsxImportSource hono/jsx */
/** `/source-packages/` and `/source-packages/<name>`. */
import { EmptyText, ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import { packagePath, sourcePackagePath } from '../paths.ts';

export interface SourcePackageItem {
  name: string;
  versionCount: number;
  oses: string[];
}

export interface SourcePackageListProps {
  list: ListView;
  rows: SourcePackageItem[];
  inventoryEmpty: boolean;
}

/** The swappable source package table. */
export function SourcePackageList(props: SourcePackageListProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={3}
      isEmpty={props.rows.length === 0}
      empty={
        <EmptyText
          inventoryEmpty={props.inventoryEmpty}
          filtered={list.state.q !== ''}
          what="source packages"
        />
      }
      head={
        <>
          <SortHeader list={list} sortKey="name" label="Package" />
          <SortHeader list={list} sortKey="versions" label="# Versions" class="num" />
          <th scope="col">Operating Systems</th>
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td class="name" data-label="Package">
            <a href={sourcePackagePath(row.name)}>{row.name}</a>
          </td>
          <td class="num" data-label="# Versions">
            {row.versionCount}
          </td>
          <td data-label="Operating Systems">{row.oses.join(', ')}</td>
        </tr>
      ))}
    </ListTable>
  );
}

/** The source packages page body. */
export function SourcePackageListPage(props: SourcePackageListProps) {
  return (
    <>
      <ListControls list={props.list} />
      <SourcePackageList {...props} />
    </>
  );
}

export interface SourceVersionListProps {
  list: ListView;
  rows: { os: string; version: string; binaries: string[] }[];
}

/** The swappable table of a source package's versions. */
export function SourceVersionList(props: SourceVersionListProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={3}
      isEmpty={props.rows.length === 0}
      empty={<>No versions match these filters.</>}
      head={
        <>
          <SortHeader list={list} sortKey="default" label="OS" />
          <SortHeader list={list} sortKey="version" label="Version" />
          <th scope="col">Binary packages</th>
        </>
      }
    >
      {props.rows.map((row) => (
        <tr>
          <td data-label="OS">{row.os}</td>
          <td class="version" data-label="Version">
            {row.version}
          </td>
          <td data-label="Binary packages">
            {row.binaries.map((binary, index) => (
              <>
                {index > 0 ? ', ' : ''}
                <a href={packagePath(binary)}>{binary}</a>
              </>
            ))}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

/** One source package's page body. */
export function SourcePackageDetailPage(props: SourceVersionListProps) {
  return (
    <>
      <ListControls list={props.list} />
      <SourceVersionList {...props} />
    </>
  );
}
