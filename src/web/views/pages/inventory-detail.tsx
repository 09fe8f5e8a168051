/** @jsxImportSource hono/jsx */
/** `/hosts/<name>` and `/images/<name…>`: the counts and the kernel, a summary, the CVEs, then the packages. */
import type { Child } from 'hono/jsx';
import { describeTimeSince } from '../../../lib/time-since.ts';
import type { HostRebootDetail } from '../../../store/read/hosts.ts';
import type { OwnerCves } from '../../../store/read/owner-cves.ts';
import { UpgradeCell } from '../components/badges.tsx';
import { CveSection } from '../components/cve-section.tsx';
import { Figures } from '../components/figures.tsx';
import { ListControls, ListTable, type ListView, listHref, SortHeader } from '../components/list.tsx';
import { RebootSummary } from '../components/reboot-summary.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';
import { historyPath, kernelPath, packagePath } from '../paths.ts';

export interface InventoryPackageItem {
  packageName: string;
  version: string;
  upgradableVersion: string | null;
  upgradeType: string | null;
  upgradeSince?: Date | null;
}

export interface PackageTableProps {
  list: ListView;
  rows: InventoryPackageItem[];
}

/** The swappable package table of a host or image. */
export function InventoryPackageList(props: PackageTableProps) {
  const { list } = props;
  return (
    <ListTable
      list={list}
      columns={3}
      isEmpty={props.rows.length === 0}
      empty={<>No packages match these filters.</>}
      head={
        <>
          <SortHeader list={list} sortKey="name" label="Package" />
          <SortHeader list={list} sortKey="version" label="Version" />
          <SortHeader list={list} sortKey="upgrade" label="Upgradable to" shows="descending" />
        </>
      }
    >
      {props.rows.map((row) => (
        <tr data-upgrade-type={row.upgradeType ?? undefined}>
          <td class="name" data-label="Package">
            <a href={packagePath(row.packageName)}>{row.packageName}</a>
          </td>
          <td class="version" data-label="Version">
            {row.version}
          </td>
          <td class="version" data-label="Upgradable to">
            <UpgradeCell version={row.upgradableVersion} type={row.upgradeType} />
            {row.upgradeSince ? (
              <span class="muted" title={row.upgradeSince.toISOString()}>
                {' '}
                pending since {row.upgradeSince.toISOString().slice(0, 10)}
              </span>
            ) : null}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

function ExternalLinks(props: { links: [label: string, url: string][] }) {
  if (props.links.length === 0) return null;
  return (
    <>
      <dt>External resources</dt>
      <dd>
        <ul>
          {props.links.map(([label, url]) => (
            <li>
              <a href={url} rel="noopener noreferrer" target="_blank">
                {label}
              </a>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/** The owner's counters, each a link to its package list filtered to what it counts. */
function OwnerFigures(props: {
  list: ListView;
  owner: { packageCount: number; upgradeCount: number; securityCount: number };
  children?: Child;
}) {
  const { owner } = props;
  const href = (filter: 'all' | 'upgradable' | 'security') =>
    `${listHref(props.list, { filter, page: 1, q: '' })}#list`;
  return (
    <Figures
      figures={[
        {
          kind: 'security',
          value: owner.securityCount,
          label: owner.securityCount === 1 ? 'security upgrade' : 'security upgrades',
          href: href('security'),
        },
        {
          kind: 'upgrade',
          value: owner.upgradeCount,
          label: owner.upgradeCount === 1 ? 'upgrade' : 'upgrades',
          href: href('upgradable'),
        },
        { kind: 'installed', value: owner.packageCount, label: 'installed', href: href('all') },
      ]}
    >
      {props.children}
    </Figures>
  );
}

/** "Exposed for" (the oldest pending security upgrade), "last patched" and the timeline's link (docs/history.md). */
function HistoryFacts(props: {
  kind: 'host' | 'image';
  owner: { name: string; securitySince: Date | null; lastUpgraded: Date | null };
  clock: Clock;
}) {
  const { owner, clock } = props;
  return (
    <>
      <dt>Exposed for</dt>
      <dd id="exposed-for">
        {owner.securitySince ? (
          <>
            {describeTimeSince(owner.securitySince, clock.now)} (oldest pending security upgrade first seen{' '}
            <time datetime={owner.securitySince.toISOString()}>
              {owner.securitySince.toISOString().slice(0, 10)}
            </time>
            )
          </>
        ) : (
          'no security upgrade pending'
        )}
      </dd>
      <dt>Last patched</dt>
      <dd id="last-patched">
        {owner.lastUpgraded ? <TimeAgo date={owner.lastUpgraded} clock={clock} /> : 'no upgrade seen'} ·{' '}
        <a href={historyPath(props.kind, owner.name)}>History</a>
      </dd>
    </>
  );
}

export interface HostDetailProps extends PackageTableProps {
  host: {
    name: string;
    os: string;
    modified: Date;
    packageCount: number;
    upgradeCount: number;
    securityCount: number;
    securitySince: Date | null;
    lastUpgraded: Date | null;
    kernel: { id: number; name: string; slug: string; osId: number; release: string | null };
    reboot?: HostRebootDetail;
  };
  externalLinks: [string, string][];
  clock: Clock;
  cves?: OwnerCves;
  /** Page n of the CVE findings (the page's URL with `cves_page`). */
  cvePageHref?: (page: number) => string;
}

/** The end of a host or image page: its CVE section (with a feed), then its package table. */
function SecurityAndPackages(
  props: PackageTableProps & { clock: Clock; cves?: OwnerCves; cvePageHref?: (page: number) => string },
) {
  return (
    <>
      {props.cves ? (
        <CveSection
          cves={props.cves}
          clock={props.clock}
          pageHref={props.cvePageHref ?? ((page) => `?cves_page=${page}`)}
        />
      ) : null}
      {/* After the CVE section, the package table needs its own heading to read as apart from it. */}
      {props.cves ? <h2>Packages</h2> : null}
      <ListControls list={props.list} />
      <InventoryPackageList list={props.list} rows={props.rows} />
    </>
  );
}

/** The host page body. */
export function HostDetailPage(props: HostDetailProps) {
  const { host } = props;
  return (
    <>
      <OwnerFigures list={props.list} owner={host}>
        <div class="figure figure-kernel">
          <span>Kernel</span>{' '}
          {/* The release (`6.1.0-26-amd64`) reads as users know it; the `uname -v` banner on hover. */}
          <a href={kernelPath(host.kernel)} title={host.kernel.name} class="mono">
            {host.kernel.release ?? host.kernel.name}
          </a>
        </div>
      </OwnerFigures>
      <dl class="summary">
        <dt>OS</dt>
        <dd>{host.os}</dd>
        <dt>Last update</dt>
        <dd>
          <TimeAgo date={host.modified} clock={props.clock} />
        </dd>
        <HistoryFacts kind="host" owner={host} clock={props.clock} />
        {host.reboot ? <RebootSummary reboot={host.reboot} clock={props.clock} /> : null}
        <ExternalLinks links={props.externalLinks} />
      </dl>
      <SecurityAndPackages {...props} />
    </>
  );
}

export interface ImageDetailProps extends PackageTableProps {
  image: {
    name: string;
    os: string;
    modified: Date;
    kubernetesContainers: number;
    packageCount: number;
    upgradeCount: number;
    securityCount: number;
    securitySince: Date | null;
    lastUpgraded: Date | null;
  };
  externalLinks: [string, string][];
  clock: Clock;
  cves?: OwnerCves;
  /** Page n of the CVE findings (the page's URL with `cves_page`). */
  cvePageHref?: (page: number) => string;
}

/** The image page body. */
export function ImageDetailPage(props: ImageDetailProps) {
  const { image } = props;
  return (
    <>
      <OwnerFigures list={props.list} owner={image} />
      <dl class="summary">
        <dt>OS</dt>
        <dd>{image.os}</dd>
        <dt>Last update</dt>
        <dd>
          <TimeAgo date={image.modified} clock={props.clock} />
        </dd>
        <HistoryFacts kind="image" owner={image} clock={props.clock} />
        <dt>Kubernetes containers</dt>
        <dd id="kubernetes-containers">{image.kubernetesContainers}</dd>
        <ExternalLinks links={props.externalLinks} />
      </dl>
      <SecurityAndPackages {...props} />
    </>
  );
}
