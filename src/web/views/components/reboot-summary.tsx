/** @jsxImportSource hono/jsx */
/** The host page's rows about reboots (docs/reboot.md): kernel state, reboot, boot, services, last full report. */
import { kernelStateOf } from '../../../domain/kernel-state.ts';
import type { HostRebootDetail } from '../../../store/read/hosts.ts';
import { Badge } from './badges.tsx';
import { type Clock, TimeAgo } from './time-ago.tsx';

const STATE_LABELS = {
  unknown: 'unknown',
  current: 'current',
  abi_upgrade: 'ABI upgrade',
  version_upgrade: 'version upgrade',
} as const;

function Since(props: { date: Date | null; clock: Clock }) {
  if (!props.date) return null;
  return (
    <>
      {' '}
      (since <TimeAgo date={props.date} clock={props.clock} />)
    </>
  );
}

export function RebootSummary(props: { reboot: HostRebootDetail; clock: Clock }) {
  const { reboot, clock } = props;
  const state = kernelStateOf(reboot.kernelState);
  const services = reboot.restartServices ? reboot.restartServices.split('\n') : [];
  return (
    <>
      <dt>Kernel state</dt>
      <dd id="kernel-state" data-state={state}>
        <Badge
          kind={state === 'current' ? 'zero' : state === 'unknown' ? 'installed' : 'security'}
          count={STATE_LABELS[state]}
          label="kernel state"
        />
        {reboot.kernelStateReason ? <span class="mono"> {reboot.kernelStateReason}</span> : null}
        <Since date={reboot.kernelStateSince} clock={clock} />
      </dd>
      <dt>Reboot</dt>
      <dd id="reboot-required" data-required={reboot.rebootRequired === 1 ? 'true' : 'false'}>
        {reboot.rebootRequired === 1 ? (
          <>
            <Badge kind="security" count="required" label="reboot required" /> {reboot.rebootReasons}
            <Since date={reboot.rebootRequiredSince} clock={clock} />
          </>
        ) : (
          'not required'
        )}
      </dd>
      {reboot.bootTime ? (
        <>
          <dt>Booted</dt>
          <dd>
            <TimeAgo date={reboot.bootTime} clock={clock} />
          </dd>
        </>
      ) : null}
      {reboot.restartServiceCount === null ? null : (
        <>
          <dt>Services needing a restart</dt>
          <dd id="restart-services">
            {reboot.restartServiceCount === 0 ? (
              'none'
            ) : (
              <>
                {reboot.restartServiceCount}: <span class="mono">{services.join(', ')}</span>
                {services.length < reboot.restartServiceCount ? ' …' : null}
              </>
            )}
          </dd>
        </>
      )}
      <dt>Last full report</dt>
      <dd>
        {reboot.lastFullReport ? (
          <TimeAgo date={reboot.lastFullReport} clock={clock} />
        ) : (
          // Hosts recorded by hand or restored without one: say so rather than leave the row blank.
          'none recorded'
        )}
      </dd>
    </>
  );
}
