/** @jsxImportSource hono/jsx */
/** `/`: the fleet at a glance. */
import type { Child } from 'hono/jsx';
import type { Dashboard } from '../../../store/read/dashboard.ts';
import type { FleetHealth } from '../../../store/read/fleet-health.ts';
import { Badge } from '../components/badges.tsx';
import { type Clock, TimeAgo } from '../components/time-ago.tsx';

function count(value: number, kind: 'installed' | 'upgrade' | 'security', label: string) {
  return <Badge kind={value > 0 ? kind : 'zero'} count={value} label={label} />;
}

function Card(props: { title: string; href?: string; total?: number; id: string; children?: Child }) {
  return (
    <section class="card" id={props.id}>
      <h3>
        {props.href ? <a href={props.href}>{props.title}</a> : props.title}
        {props.total === undefined ? null : count(props.total, 'installed', 'total')}
      </h3>
      {props.children ? <dl>{props.children}</dl> : null}
    </section>
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
  const link = (filter: string, value: number, kind: 'installed' | 'upgrade' | 'security', label: string) => (
    <a href={`/hosts/?filter=${filter}`}>{count(value, kind, label)}</a>
  );
  return (
    <Card id="card-fleet-health" title="Fleet health">
      <Row label="Reboot required">{link('reboot', fleet.rebootRequired, 'security', 'hosts')}</Row>
      <Row label="Reporting">{link('reporting', fleet.reporting, 'installed', 'hosts')}</Row>
      <Row label="Stale">{link('stale', fleet.stale, 'upgrade', 'hosts')}</Row>
      <Row label="Silent">{link('silent', fleet.silent, 'security', 'hosts')}</Row>
      {fleet.neverReported === null ? null : (
        <Row label="Never reported">{link('never_reported', fleet.neverReported, 'security', 'hosts')}</Row>
      )}
    </Card>
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
  return (
    <>
      {props.inventoryEmpty ? (
        <p class="empty">No hosts have reported yet — see the README to point an agent here.</p>
      ) : null}
      <div class="cards">
        <Card id="card-hosts" title="Hosts" href="/hosts/" total={d.hosts.total}>
          <Row label="With pending upgrades">{count(d.hosts.withUpgrades, 'upgrade', 'hosts')}</Row>
          <Row label="With pending security upgrades">{count(d.hosts.withSecurity, 'security', 'hosts')}</Row>
        </Card>
        {props.fleet ? <FleetHealthCard fleet={props.fleet} /> : null}
        <Card id="card-kernels" title="Kernels" href="/kernels/" total={d.kernels} />
        <Card
          id="card-kubernetes"
          title="Live Kubernetes Images"
          href="/kubernetes/"
          total={d.kubernetesImages}
        />
        <Card id="card-packages" title="Binary Packages" href="/packages/" total={d.packages.total}>
          <Row label="With upgrades (hosts)">{count(d.packages.withUpgrades, 'upgrade', 'packages')}</Row>
          <Row label="With security upgrades (hosts)">
            {count(d.packages.withSecurity, 'security', 'packages')}
          </Row>
        </Card>
        <Card
          id="card-source-packages"
          title="Source Packages"
          href="/source-packages/"
          total={d.sourcePackages.total}
        >
          <Row label="Distinct versions">{count(d.sourcePackages.versions, 'installed', 'versions')}</Row>
        </Card>
        <Card id="card-versions" title="Binary Versions" href="/packages/" total={d.packageVersions.total}>
          <Row label="With upgrades (hosts)">
            {count(d.packageVersions.withUpgrades, 'upgrade', 'versions')}
          </Row>
          <Row label="With security upgrades (hosts)">
            {count(d.packageVersions.withSecurity, 'security', 'versions')}
          </Row>
        </Card>
        <Card id="card-images" title="Images" href="/images/" total={d.images.total}>
          <Row label="With pending upgrades">{count(d.images.withUpgrades, 'upgrade', 'images')}</Row>
          <Row label="With pending security upgrades">
            {count(d.images.withSecurity, 'security', 'images')}
          </Row>
        </Card>
        <Card id="card-totals" title="Totals">
          <Row label="Pending host upgrades">{count(d.totals.hostUpgrades, 'upgrade', 'rows')}</Row>
          <Row label="Pending image upgrades">{count(d.totals.imageUpgrades, 'upgrade', 'rows')}</Row>
          <Row label="Security upgrades (hosts)">{count(d.totals.hostSecurity, 'security', 'rows')}</Row>
          <Row label="Security upgrades (images)">{count(d.totals.imageSecurity, 'security', 'rows')}</Row>
        </Card>
        <Card id="card-host-updates" title="Host updates">
          <Row label="Latest:">
            <TimeAgo date={d.hosts.latest} clock={props.clock} />
          </Row>
          <Row label="Oldest:">
            <TimeAgo date={d.hosts.oldest} clock={props.clock} />
          </Row>
        </Card>
        <Card id="card-image-updates" title="Image updates">
          <Row label="Latest:">
            <TimeAgo date={d.images.latest} clock={props.clock} />
          </Row>
          <Row label="Oldest:">
            <TimeAgo date={d.images.oldest} clock={props.clock} />
          </Row>
        </Card>
      </div>
    </>
  );
}
