/**
 * The JSON payload of a report, with its keys in legacy's order (docs/protocol.md, "What the agent
 * sends").
 */
import type {
  HostReport,
  ImageReport,
  InstalledItem,
  RebootFacts,
  RunningKernel,
  UninstalledItem,
  UpgradableItem,
} from '../../protocol/report.ts';

/** The update types this agent sends. */
export type UpdateType = 'full' | 'upgradable' | 'dpkg_hook';

/** Whom a report is about: this host, or the container image the agent runs in. */
export type ReportSubject =
  | { kind: 'host'; hostname: string; runningKernel: RunningKernel; reboot?: RebootFacts }
  | { kind: 'image'; imageName: string };

/** What goes into a payload. */
export interface PayloadInput {
  api: string;
  os: string;
  installed: InstalledItem[];
  uninstalled: UninstalledItem[];
  upgradable: UpgradableItem[];
  updateType: UpdateType;
  subject: ReportSubject;
}

/** Builds a host or image payload; image payloads carry no hostname and no kernel. */
export function buildPayload(input: PayloadInput): HostReport | ImageReport {
  const common = {
    api_version: input.api,
    os: input.os,
    installed: input.installed,
    uninstalled: input.uninstalled,
    upgradable: input.upgradable,
    update_type: input.updateType,
  };
  if (input.subject.kind === 'image') return { ...common, image_name: input.subject.imageName };
  const { hostname, runningKernel, reboot } = input.subject;
  return { ...common, hostname, running_kernel: runningKernel, ...(reboot ? { reboot } : {}) };
}
