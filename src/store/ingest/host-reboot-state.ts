/**
 * What a host report says about reboots, as the host row stores it (docs/reboot.md): the kernel state
 * and the reboot verdict, judged afresh from each report that can judge them. Pure; the values go
 * into the report's one UPDATE of the host row (./owner-rows.ts).
 */
import { imageRelease, judgeKernel, kernelStateCode } from '../../domain/kernel-state.ts';
import { judgeReboot } from '../../domain/reboot-required.ts';
import type { HostReport } from '../../protocol/report.ts';

/** The host columns a report sets; `agent` is absent for a legacy client's full report. */
export interface HostRebootState {
  kernelState: number;
  kernelStateReason: string;
  rebootRequired: boolean;
  rebootReasons: string | null;
  /** Only from our agent (the `reboot` object): boot time and needrestart's services. */
  agent?: {
    bootTime: Date | null;
    /** One unit per line; null when the agent did not run needrestart. */
    restartServices: string | null;
    restartServiceCount: number | null;
  };
}

/** The text columns stay well below MySQL's TEXT limit (65,535 bytes). */
const MAX_SERVICES_TEXT = 16_000;

/**
 * The reboot state a report sets, or undefined when it cannot judge (a legacy client's partial
 * report: it names neither the kernel images nor every package).
 */
export function hostRebootState(report: HostReport): HostRebootState | undefined {
  const { reboot, running_kernel: kernel } = report;
  if (!reboot && report.update_type !== 'full') return undefined;
  const images = reboot
    ? reboot.kernel_images
    : report.installed.filter((item) => imageRelease(item.name) !== undefined);
  const verdict = judgeKernel({ release: kernel.release, banner: kernel.version, images });
  const needrestart = reboot?.needrestart;
  const decision = judgeReboot({
    kernel: verdict,
    flagFile: reboot?.reboot_required,
    needrestartKernel: needrestart?.kernel_status,
  });
  const state: HostRebootState = {
    kernelState: kernelStateCode(verdict.state),
    kernelStateReason: verdict.reason,
    rebootRequired: decision.required,
    rebootReasons: decision.required ? decision.reasons.join('; ') : null,
  };
  if (reboot) {
    const services = needrestart?.services ?? [];
    let text = '';
    for (const service of services) {
      if (text.length + service.length + 1 > MAX_SERVICES_TEXT) break;
      text += text === '' ? service : `\n${service}`;
    }
    state.agent = {
      bootTime: reboot.boot_time === undefined ? null : new Date(reboot.boot_time * 1000),
      restartServices: needrestart ? text : null,
      restartServiceCount: needrestart ? services.length : null,
    };
  }
  return state;
}
