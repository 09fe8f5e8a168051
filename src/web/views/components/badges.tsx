/** @jsxImportSource hono/jsx */
/** Count badges (installed blue, upgrades amber, security red) and the upgrade cell of package rows. */

export interface CountBadgesProps {
  installed?: number;
  upgrades: number;
  security: number;
  /** Show zero counts as grey badges (the dashboard), instead of hiding them. */
  showZero?: boolean;
}

/** A badge with a label for screen readers and a tooltip. */
export function Badge(props: {
  kind: 'installed' | 'upgrade' | 'security' | 'zero';
  count: number | string;
  label: string;
}) {
  return (
    <span class={`badge badge-${props.kind}`} title={props.label}>
      {props.count}
      <span class="sr-only"> {props.label}</span>
    </span>
  );
}

/** Badges for installed / upgrades / security counts. */
export function CountBadges(props: CountBadgesProps) {
  const badge = (kind: 'installed' | 'upgrade' | 'security', count: number | undefined, label: string) => {
    if (count === undefined) return null;
    if (count > 0) return <Badge kind={kind} count={count} label={label} />;
    return props.showZero ? <Badge kind="zero" count={0} label={label} /> : null;
  };
  return (
    <span class="badges">
      {badge('installed', props.installed, 'installed')}
      {badge('upgrade', props.upgrades, 'upgrades')}
      {badge('security', props.security, 'security upgrades')}
    </span>
  );
}

/** The candidate version with a `security` (red) or `upgrade` (amber) badge; empty without one. */
export function UpgradeCell(props: { version: string | null; type: string | null }) {
  if (props.version === null) return null;
  return (
    <>
      <span class="mono">{props.version}</span>{' '}
      {props.type === 'security' ? (
        <span class="badge badge-security">security</span>
      ) : (
        <span class="badge badge-upgrade">upgrade</span>
      )}
    </>
  );
}
