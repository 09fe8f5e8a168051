/** @jsxImportSource hono/jsx */
/**
 * `/`: the fleet at a glance, what needs action first: security upgrades, then upgrades, then the
 * inventory. Every count links to the list it counts, already filtered; a card with nothing to count
 * says why.
 */
import type { Child } from 'hono/jsx';
import type { Dashboard } from '../../../store/read/dashboard.ts';
import type { FleetHealth } from '../../../store/read/fleet-health.ts';
import { Badge } from '../components/badges.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';

type Kind = 'installed' | 'upgrade' | 'security';

/** A count as a link to its list. */
function Count(props: { value: number; kind: Kind; label: string; href: string }) {
  return (
    <a class="count" href={props.href}>
      <Badge kind={props.value > 0 ? props.kind : 'zero'} count={props.value} label={props.label} />
    </a>
  );
}

function Card(props: {
  id: string;
  title: string;
  href?: string;
  total?: number;
  /** Shown instead of the rows when there is nothing to count. */
  empty?: string;
  class?: string;
  children?: Child;
}) {
  return (
    <section class={`card${props.class ? ` ${props.class}` : ''}`} id={props.id}>
      <h3>
        {props.href ? <a href={props.href}>{props.title}</a> : props.title}
        {props.total === undefined || !props.href ? null : (
          <Count value={props.total} kind="installed" label="total" href={props.href} />
        )}
      </h3>
      {props.empty ? (
        <p class="card-empty">{props.empty}</p>
      ) : props.children ? (
        <dl>{props.children}</dl>
      ) : null}
    </section>
  );
}

/** A row whose value is a count linking to the list it counts (`what` names it for screen readers). */
function CountRow(props: { label: string; value: number; kind: Kind; what: string; href: string }) {
  return (
    <Row label={props.label}>
      <Count value={props.value} kind={props.kind} label={props.what} href={props.href} />
    </Row>
  );
}

function Row(props: { label: string; children?: Child }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

/** Reboots and liveness (docs/reboot.md), each count linking to the hosts list filtered by it. */
function FleetHealthCard(props: { fleet: FleetHealth }) {
  const { fleet } = props;
  const row = (label: string, filter: string, value: number, kind: Kind) => (
    <CountRow
      label={label}
      value={value}
      kind={kind}
      what={`hosts: ${label.toLowerCase()}`}
      href={`/hosts/?filter=${filter}`}
    />
  );
  return (
    <Card id="card-fleet-health" title="Fleet health">
      {row('Reboot required', 'reboot', fleet.rebootRequired, 'security')}
      {row('Silent', 'silent', fleet.silent, 'security')}
      {fleet.neverReported === null
        ? null
        : row('Never reported', 'never_reported', fleet.neverReported, 'security')}
      {row('Stale', 'stale', fleet.stale, 'upgrade')}
      {row('Reporting', 'reporting', fleet.reporting, 'installed')}
    </Card>
  );
}

/**
 * The security tracker's card (docs/cve.md, "Pages"): hosts and images with a fix available for a
 * high- or medium-urgency CVE, for any CVE, the CVEs with a fix, and how old the data is.
 */
function CveCard(props: { cves: Dashboard['cves']; clock: Clock }) {
  const { cves } = props;
  if (!cves)
    return (
      <Card
        id="card-cves"
        title="CVEs"
        href="/cves/"
        empty="No security tracker data imported yet: run debmonitor-server cve import."
      />
    );
  return (
    <Card id="card-cves" title="CVEs" href="/cves/" class="card-security">
      <CountRow
        label="Hosts with a fix for high/medium CVEs"
        value={cves.hostsUrgent}
        kind="security"
        what="hosts with a fix available for high or medium urgency CVEs"
        href="/hosts/?filter=urgent"
      />
      <CountRow
        label="Hosts with a fix for any CVE"
        value={cves.hostsFixable}
        kind="upgrade"
        what="hosts with a fix available for a CVE"
        href="/hosts/?filter=fixable"
      />
      <CountRow
        label="Images with a fix for high/medium CVEs"
        value={cves.imagesUrgent}
        kind="security"
        what="images with a fix available for high or medium urgency CVEs"
        href="/images/?filter=urgent"
      />
      <CountRow
        label="CVEs with a fix available"
        value={cves.fixable}
        kind="upgrade"
        what="CVEs with a fix available"
        href="/cves/?filter=fixable"
      />
      <Row label="Tracker data from">
        <TimeAgo date={cves.feedTime} clock={props.clock} />
      </Row>
      <Row label="Last checked">
        <TimeAgo date={cves.imported} clock={props.clock} />
      </Row>
    </Card>
  );
}

/** The rows of an "upgrades" card: hosts, images, binary and source packages with one pending. */
function UpgradeRows(props: { d: Dashboard; kind: 'upgrade' | 'security' }) {
  const { d, kind } = props;
  const filter = kind === 'security' ? 'security' : 'upgradable';
  const field = kind === 'security' ? 'withSecurity' : 'withUpgrades';
  const what = kind === 'security' ? 'with security upgrades' : 'with upgrades';
  return (
    <>
      <CountRow
        label="Hosts"
        value={d.hosts[field]}
        kind={kind}
        what={`hosts ${what}`}
        href={`/hosts/?filter=${filter}`}
      />
      <CountRow
        label="Images"
        value={d.images[field]}
        kind={kind}
        what={`images ${what}`}
        href={`/images/?filter=${filter}`}
      />
      <CountRow
        label="Binary packages"
        value={d.packages[field]}
        kind={kind}
        what={`binary packages ${what}`}
        href={`/packages/?filter=${filter}`}
      />
      <CountRow
        label="Source packages"
        value={d.sourcePackages[field]}
        kind={kind}
        what={`source packages ${what}`}
        href={`/source-packages/?filter=${filter}`}
      />
      <CountRow
        label="Package upgrades on hosts"
        value={kind === 'security' ? d.totals.hostSecurity : d.totals.hostUpgrades}
        kind={kind}
        what="package rows of hosts"
        href={`/hosts/?filter=${filter}&sort=-${kind === 'security' ? 'security' : 'upgrades'}`}
      />
      <CountRow
        label="Package upgrades on images"
        value={kind === 'security' ? d.totals.imageSecurity : d.totals.imageUpgrades}
        kind={kind}
        what="package rows of images"
        href={`/images/?filter=${filter}&sort=-${kind === 'security' ? 'security' : 'upgrades'}`}
      />
    </>
  );
}

function Updates(props: { latest: Date | null; oldest: Date | null; clock: Clock }) {
  return (
    <>
      <Row label="Latest report">
        <TimeAgo date={props.latest} clock={props.clock} />
      </Row>
      <Row label="Oldest report">
        <TimeAgo date={props.oldest} clock={props.clock} />
      </Row>
    </>
  );
}

/** The dashboard body. */
export function DashboardPage(props: {
  data: Dashboard;
  clock: Clock;
  inventoryEmpty: boolean;
  fleet?: FleetHealth;
}) {
  const d = props.data;
  const nothingYet = props.inventoryEmpty
    ? 'Nothing to count: no host or image has reported yet.'
    : undefined;
  const noSecurity =
    d.hosts.withSecurity + d.images.withSecurity === 0
      ? 'No host or image has a pending security upgrade.'
      : undefined;
  const noUpgrades =
    d.hosts.withUpgrades + d.images.withUpgrades === 0 ? 'Every host and image is up to date.' : undefined;
  return (
    <>
      {props.inventoryEmpty ? (
        <p class="empty">No hosts have reported yet — see the README to point an agent here.</p>
      ) : null}
      <div class="cards">
        <Card
          id="card-security"
          title="Security upgrades"
          class="card-security"
          empty={nothingYet ?? noSecurity}
        >
          <UpgradeRows d={d} kind="security" />
        </Card>
        <Card id="card-upgrades" title="Upgrades" class="card-upgrade" empty={nothingYet ?? noUpgrades}>
          <UpgradeRows d={d} kind="upgrade" />
        </Card>
        {props.fleet && !props.inventoryEmpty ? <FleetHealthCard fleet={props.fleet} /> : null}
        {props.inventoryEmpty ? null : <CveCard cves={d.cves} clock={props.clock} />}
        <Card
          id="card-hosts"
          title="Hosts"
          href="/hosts/"
          total={d.hosts.total}
          empty={d.hosts.total === 0 ? 'No host has reported yet: install the agent on one.' : undefined}
        >
          <Updates latest={d.hosts.latest} oldest={d.hosts.oldest} clock={props.clock} />
        </Card>
        <Card
          id="card-images"
          title="Images"
          href="/images/"
          total={d.images.total}
          empty={
            d.images.total === 0
              ? 'No image has been reported: the agent reports images in image mode.'
              : undefined
          }
        >
          <Updates latest={d.images.latest} oldest={d.images.oldest} clock={props.clock} />
        </Card>
        <Card
          id="card-packages"
          title="Binary Packages"
          href="/packages/"
          total={d.packages.total}
          empty={d.packages.total === 0 ? 'Packages appear when hosts or images report.' : undefined}
        >
          <CountRow
            label="Versions"
            value={d.packageVersions.total}
            kind="installed"
            what="versions"
            href="/packages/?sort=-versions"
          />
          <CountRow
            label="Versions with upgrades (hosts)"
            value={d.packageVersions.withUpgrades}
            kind="upgrade"
            what="versions with upgrades on hosts"
            href="/packages/?filter=upgradable"
          />
          <CountRow
            label="Versions with security upgrades (hosts)"
            value={d.packageVersions.withSecurity}
            kind="security"
            what="versions with security upgrades on hosts"
            href="/packages/?filter=security"
          />
        </Card>
        <Card
          id="card-source-packages"
          title="Source Packages"
          href="/source-packages/"
          total={d.sourcePackages.total}
          empty={
            d.sourcePackages.total === 0 ? 'Source packages appear when hosts or images report.' : undefined
          }
        >
          <CountRow
            label="Versions"
            value={d.sourcePackages.versions}
            kind="installed"
            what="versions"
            href="/source-packages/?sort=-versions"
          />
        </Card>
        <Card
          id="card-kernels"
          title="Kernels"
          href="/kernels/"
          total={d.kernels}
          empty={d.kernels === 0 ? 'Kernels appear when hosts report.' : undefined}
        />
        <Card
          id="card-kubernetes"
          title="Live Kubernetes Images"
          href="/kubernetes/"
          total={d.kubernetesImages}
          empty={
            d.kubernetesImages === 0 ? 'No Kubernetes cluster has reported the images it runs.' : undefined
          }
        />
      </div>
    </>
  );
}
