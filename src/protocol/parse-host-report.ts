/**
 * Validation of a host report body (HostReportSchema) with a hand-written fast path: a full report
 * carries some 1,500 items, and checking them with plain loops costs a tenth of what the schema
 * does. The fast path only ever accepts what the schema accepts; anything it does not accept goes
 * to the schema, which decides and words the message.
 */
import * as v from 'valibot';
import {
  describeIssues,
  type HostReport,
  HostReportSchema,
  isStorableText,
  MAX_NAME_LENGTH,
  type PackageLists,
  RebootFactsSchema,
} from './report.ts';

export type ParseHostReportResult =
  | { success: true; output: HostReport }
  | { success: false; message: string };

/** Validates a decoded JSON body as a host report. */
export function parseHostReport(value: unknown): ParseHostReportResult {
  const fast = acceptHostReport(value);
  if (fast) return { success: true, output: fast };
  const parsed = v.safeParse(HostReportSchema, value);
  if (parsed.success) return { success: true, output: parsed.output };
  return { success: false, message: describeIssues(parsed.issues) };
}

type Item = Record<string, unknown>;

function isRecord(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A storable string of 1 to MAX_NAME_LENGTH code units (NameSchema, VersionSchema). */
function isName(value: unknown): boolean {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH && isStorableText(value)
  );
}

/** A storable string of at most MAX_NAME_LENGTH code units. */
function isOptionalText(value: unknown): boolean {
  return (
    value === undefined ||
    (typeof value === 'string' && value.length <= MAX_NAME_LENGTH && isStorableText(value))
  );
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** The report if it certainly matches HostReportSchema, else undefined (let the schema decide). */
function acceptHostReport(value: unknown): HostReport | undefined {
  if (!isRecord(value)) return undefined;
  const { api_version, hostname, os, running_kernel: kernel, update_type } = value;
  if (!isOptionalString(api_version) || typeof hostname !== 'string' || !isOptionalText(hostname))
    return undefined;
  if (typeof os !== 'string' || os.length === 0) return undefined;
  if (typeof update_type !== 'string' || update_type.length === 0 || update_type.length > 32)
    return undefined;
  if (!isRecord(kernel) || !isName(kernel.version)) return undefined;
  if (!isOptionalText(kernel.release)) return undefined;
  const lists = acceptPackageLists(value);
  if (!lists) return undefined;
  const report: HostReport = {
    hostname,
    os,
    running_kernel: kernel as HostReport['running_kernel'],
    update_type,
    ...lists,
  };
  // The reboot facts are a few items: the schema checks them.
  if (value.reboot !== undefined) {
    const reboot = v.safeParse(RebootFactsSchema, value.reboot);
    if (!reboot.success) return undefined;
    report.reboot = reboot.output;
  }
  return typeof api_version === 'string' ? { api_version, ...report } : report;
}

function acceptPackageLists(value: Item): PackageLists | undefined {
  const installed = acceptList(value.installed, isInstalledItem);
  const uninstalled = acceptList(value.uninstalled, isUninstalledItem);
  const upgradable = acceptList(value.upgradable, isUpgradableItem);
  if (!installed || !uninstalled || !upgradable) return undefined;
  return {
    installed: installed as PackageLists['installed'],
    uninstalled: uninstalled as PackageLists['uninstalled'],
    upgradable: upgradable as PackageLists['upgradable'],
  };
}

/** A missing list is empty (the schema's default); every item must pass `check`. */
function acceptList(list: unknown, check: (item: Item) => boolean): Item[] | undefined {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return undefined;
  for (const item of list) if (!isRecord(item) || !check(item)) return undefined;
  return list as Item[];
}

function isInstalledItem(item: Item): boolean {
  return (
    isName(item.name) &&
    isName(item.version) &&
    (item.source === undefined || isName(item.source)) &&
    (item.source_version === undefined || isName(item.source_version))
  );
}

function isUninstalledItem(item: Item): boolean {
  return isName(item.name) && isOptionalString(item.version) && isOptionalString(item.source);
}

function isUpgradableItem(item: Item): boolean {
  const { type } = item;
  return (
    isName(item.name) &&
    isName(item.version_from) &&
    isName(item.version_to) &&
    isName(item.source) &&
    (type === null || isOptionalText(type))
  );
}
