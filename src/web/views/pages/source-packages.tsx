/** @jsxImportSource hono/jsx */
/** `/source-packages/` and `/source-packages/<name>`. */
import type { SourceCves } from '../../../store/read/cves.ts';
import type { SourceBinaryRow } from '../../../store/read/source-packages.ts';
import {
  type CountedNameItem,
  type CountedNameKind,
  CountedNameList,
  type CountedNameListProps,
} from '../components/counted-name-list.tsx';
import { Figures } from '../components/figures.tsx';
import { ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import type { Clock } from '../components/time-ago.tsx';
import { packagePath, sourcePackagePath } from '../paths.ts';
import { SourceCveSection } from './cves.tsx';
import { type HistorySectionProps, PackageHistorySection } from './history.tsx';

/** What a source package's count means: its most widespread binary's (store/read/source-index.ts). */
const COUNT_TITLE = 'Hosts and images, counted for its most widespread binary package';

export type SourcePackageItem = CountedNameItem;
export type SourcePackageListProps = CountedNameListProps;

const SOURCE_PACKAGES: CountedNameKind = {
  what: 'source packages',
  nameLabel: 'Source package',
  pathOf: sourcePackagePath,
  countTitle: COUNT_TITLE,
};

/** The swappable source package table. */
export function SourcePackageList(props: SourcePackageListProps) {
  return <CountedNameList {...props} kind={SOURCE_PACKAGES} />;
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
          <td class="version nowrap" data-label="Version">
            {row.version}
          </td>
          <td class="binaries" data-label="Binary packages">
            {/* One child: on a phone the cell is a flex line, which would space out the commas. */}
            <span>
              {row.binaries.map((binary, index) => (
                <>
                  {index > 0 ? ', ' : ''}
                  <a href={packagePath(binary)}>{binary}</a>
                </>
              ))}
            </span>
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

export interface SourcePackageDetailProps extends SourceVersionListProps {
  counts: { installed: number; upgrades: number; security: number };
  binaries: SourceBinaryRow[];
  history?: HistorySectionProps;
  cves: SourceCves;
  clock: Clock;
}

/** One source package's page body: its counts, its binaries with theirs, then its versions. */
export function SourcePackageDetailPage(props: SourcePackageDetailProps) {
  const { counts } = props;
  return (
    <>
      <Figures
        figures={[
          { kind: 'security', value: counts.security, label: 'with security upgrades', title: COUNT_TITLE },
          { kind: 'upgrade', value: counts.upgrades, label: 'with upgrades', title: COUNT_TITLE },
          { kind: 'installed', value: counts.installed, label: 'installed', title: COUNT_TITLE },
        ]}
      />
      <h3>Binary packages</h3>
      <div class="table-wrap">
        <table class="responsive" id="binaries">
          <thead>
            <tr>
              <th scope="col">Binary package</th>
              <th scope="col" class="num">
                Installed
              </th>
              <th scope="col" class="num">
                Upgrades
              </th>
              <th scope="col" class="num">
                Security
              </th>
            </tr>
          </thead>
          <tbody>
            {props.binaries.map((binary) => (
              <tr>
                <td class="name" data-label="Binary package">
                  <a href={packagePath(binary.name)}>{binary.name}</a>
                </td>
                <td class="num" data-label="Installed">
                  {binary.installed}
                </td>
                <td class="num" data-label="Upgrades">
                  {binary.upgrades}
                </td>
                <td class="num" data-label="Security">
                  {binary.security}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Versions</h3>
      <ListControls list={props.list} />
      <SourceVersionList list={props.list} rows={props.rows} />
      <SourceCveSection cves={props.cves} clock={props.clock} />
      {props.history ? <PackageHistorySection {...props.history} /> : null}
    </>
  );
}
