/**
 * Whether a host must reboot, and why (docs/reboot.md, "Reboot required"). The kernel state is the
 * main signal; /run/reboot-required and needrestart's own kernel check are extra reasons, never
 * the only source of truth (Debian writes the flag file only with reboot-notifier or
 * unattended-upgrades installed). Everything is recomputed from each report, so a reboot clears it.
 */
import { type KernelVerdict, kernelStateOf } from './kernel-state.ts';

export interface RebootFacts {
  kernel: KernelVerdict;
  /** /run/reboot-required existed; `packages` is its .pkgs list. Absent: no such file. */
  flagFile?: { packages: readonly string[] } | null;
  /** needrestart's KSTA code, when the agent ran it. */
  needrestartKernel?: number;
}

export interface RebootVerdict {
  required: boolean;
  /** One entry per signal that asks for a reboot. */
  reasons: string[];
}

/** How many package names of the flag file a reason shows. */
const SHOWN_PACKAGES = 5;

export function judgeReboot(facts: RebootFacts): RebootVerdict {
  const reasons: string[] = [];
  const { kernel, flagFile, needrestartKernel } = facts;
  if (kernel.state === 'abi_upgrade' || kernel.state === 'version_upgrade')
    reasons.push(`kernel ${kernel.state.replace('_', ' ')}: ${kernel.reason}`);
  if (flagFile) {
    const { packages } = flagFile;
    const shown = packages.slice(0, SHOWN_PACKAGES).join(', ');
    const more = packages.length > SHOWN_PACKAGES ? ` and ${packages.length - SHOWN_PACKAGES} more` : '';
    reasons.push(`/run/reboot-required${packages.length > 0 ? ` (${shown}${more})` : ''}`);
  }
  if (needrestartKernel !== undefined && needrestartKernel >= 2)
    reasons.push(`needrestart: kernel ${kernelStateOf(needrestartKernel).replace('_', ' ')}`);
  return { required: reasons.length > 0, reasons };
}
