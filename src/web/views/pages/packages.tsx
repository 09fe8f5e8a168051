/** @jsxImportSource hono/jsx */
/** `/packages/` and `/packages/<name>`. */
import type { SourceCves } from '../../../store/read/cves.ts';
import { CountBadges, UpgradeCell } from '../components/badges.tsx';
import {
  type CountedNameItem,
  type CountedNameKind,
  CountedNameList,
  type CountedNameListProps,
} from '../components/counted-name-list.tsx';
import { ListControls, ListTable, type ListView, SortHeader } from '../components/list.tsx';
import type { Clock } from '../components/time-ago.tsx';
import { hostPath, imagePath, packagePath, sourcePackagePath } from '../paths.ts';
import { SourceCveSection } from './cves.tsx';
import { type HistorySectionProps, PackageHistorySection } from './history.tsx';

export type PackageItem = CountedNameItem;
export type PackageListProps = CountedNameListProps;

const PACKAGES: CountedNameKind = {
  what: 'packages',
  nameLabel: 'Package',
  pathOf: packagePath,
  showsCves: true,
};

/** The swappable package table. */
export function PackageList(props: PackageListProps) {
  return <CountedNameList {...props} kind={PACKAGES} />;
}

/** The packages page body. */
export function PackageListPage(props: PackageListProps) {
  return (
    <>
      <ListControls list={props.list} />
      <PackageList {...props} />
    </>
  );
}

export interface PackageVersionItem {
  id: number;
  version: string;
  os: string;
  source: string;
  installed: number;
  upgrades: number;
  security: number;
}

export interface InstallationItem {
  kind: 'host' | 'image';
  name: string;
  versionId: number;
  upgradableVersion: string | null;
  upgradeType: string | null;
}

export interface InstallationListProps {
  list: ListView;
  rows: InstallationItem[];
  versions: PackageVersionItem[];
}

/** The swappable table of hosts and images with the package, with OS and version group rows. */
export function InstallationList(props: InstallationListProps) {
  const { list } = props;
  const versions = new Map(props.versions.map((version) => [version.id, version]));
  const grouped = list.state.sort === 'default';
  // Grouped, the "Version:" row heads its hosts: a row leaves the version out and its name takes
  // that column too, so the headers (and their sort links) stay where they are.
  let lastOs: string | undefined;
  let lastVersion: number | undefined;
  return (
    <ListTable
      list={list}
      columns={3}
      isEmpty={props.rows.length === 0}
      empty={<>No hosts or images match these filters.</>}
      head={
        <>
          <SortHeader list={list} sortKey="name" label="Hostname / Image name" />
          <SortHeader list={list} sortKey="default" label="Version" />
          <th scope="col">Upgradable to</th>
        </>
      }
    >
      {props.rows.flatMap((row) => {
        const version = versions.get(row.versionId);
        const out = [];
        if (grouped && version && version.os !== lastOs) {
          out.push(
            <tr class="group">
              <td colspan={3}>OS: {version.os}</td>
            </tr>,
          );
          lastVersion = undefined;
        }
        if (grouped && version && version.id !== lastVersion) {
          out.push(
            <tr class="group">
              <td colspan={3}>
                Version: <span class="mono">{version.version}</span> ({version.installed})
              </td>
            </tr>,
          );
        }
        lastOs = version?.os;
        lastVersion = version?.id;
        out.push(
          <tr data-kind={row.kind}>
            <td class="name" data-label="Name" colspan={grouped ? 2 : undefined}>
              <a href={row.kind === 'host' ? hostPath(row.name) : imagePath(row.name)}>
                {row.name} ({row.kind})
              </a>
            </td>
            {grouped ? null : (
              <td class="version" data-label="Version">
                {version?.version ?? ''}
              </td>
            )}
            <td class="version" data-label="Upgradable to">
              <UpgradeCell version={row.upgradableVersion} type={row.upgradeType} />
            </td>
          </tr>,
        );
        return out;
      })}
    </ListTable>
  );
}

/** Groups versions by OS, in order of first appearance. */
function groupByOs(versions: PackageVersionItem[]): [string, PackageVersionItem[]][] {
  const groups = new Map<string, PackageVersionItem[]>();
  for (const version of versions) {
    const group = groups.get(version.os) ?? [];
    group.push(version);
    groups.set(version.os, group);
  }
  return [...groups];
}

/** One package's page body. */
export function PackageDetailPage(
  props: InstallationListProps & { history?: HistorySectionProps; cves: SourceCves; clock: Clock },
) {
  const sources = [...new Set(props.versions.map((version) => version.source))].sort();
  return (
    <>
      <dl class="summary">
        <dt>Source Packages</dt>
        <dd>
          <ul>
            {sources.map((source) => (
              <li>
                <a href={sourcePackagePath(source)}>{source}</a>
              </li>
            ))}
          </ul>
        </dd>
        {groupByOs(props.versions).map(([os, versions]) => (
          <>
            <dt>
              {os} versions
              <CountBadges
                installed={versions.reduce((sum, v) => sum + v.installed, 0)}
                upgrades={versions.reduce((sum, v) => sum + v.upgrades, 0)}
                security={versions.reduce((sum, v) => sum + v.security, 0)}
              />
            </dt>
            <dd>
              <ul class="versions">
                {versions.map((version) => (
                  <li data-version={version.version}>
                    <span class="mono">{version.version}</span>
                    <CountBadges
                      installed={version.installed}
                      upgrades={version.upgrades}
                      security={version.security}
                    />
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ))}
      </dl>
      <ListControls list={props.list} />
      <InstallationList {...props} />
      <SourceCveSection cves={props.cves} clock={props.clock} />
      {props.history ? <PackageHistorySection {...props.history} /> : null}
    </>
  );
}
