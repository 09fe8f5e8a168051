/**
 * The agent <-> server JSON contract (docs/protocol.md).
 * Shared by both programs: the agent builds these objects, the server validates them.
 */
import * as v from 'valibot';

/** The `type` of an upgrade that fixes a security issue (from a `-security` suite); any other type is a plain upgrade. */
export const SECURITY_UPGRADE = 'security';

/** Upstream varchar sizes: longer values are refused with 400 instead of failing in the database. */
export const MAX_NAME_LENGTH = 255;
export const MAX_OS_LENGTH = 32;

/**
 * Whether both databases keep `text` apart from every other text. MariaDB's collations ignore
 * trailing spaces ('foo' and 'foo ' are one key of a unique index), and an unpaired surrogate (a
 * `\ud800` escape is valid JSON) has no UTF-8 form, so it is stored as U+FFFD: two names the report
 * tells apart would become one row, and the report could not be applied. Such names are refused with
 * 400 (docs/protocol.md, "Limits").
 */
export function isStorableText(text: string): boolean {
  return !text.endsWith(' ') && text.isWellFormed();
}

/** A string the databases store as sent (isStorableText), with one message per reason. */
const StoredString = v.pipe(
  v.string(),
  v.check((text) => text.isWellFormed(), 'must be valid Unicode (it has an unpaired surrogate escape)'),
  v.check((text) => !text.endsWith(' '), 'must not end with a space'),
);

const NameSchema = v.pipe(StoredString, v.minLength(1, 'must not be empty'), v.maxLength(MAX_NAME_LENGTH));
const VersionSchema = NameSchema;

export const InstalledItemSchema = v.object({
  name: NameSchema,
  version: VersionSchema,
  /** Upstream reads `source` only when the version is not recorded yet; the server enforces that rule. */
  source: v.optional(NameSchema),
  /**
   * The source package's version (dpkg's `Source: name (version)`, else the binary version); older
   * clients omit it and the server infers it (docs/protocol.md, "Host reports").
   */
  source_version: v.optional(VersionSchema),
});
export type InstalledItem = v.InferOutput<typeof InstalledItemSchema>;

export const UninstalledItemSchema = v.object({
  name: NameSchema,
  version: v.optional(v.string()),
  source: v.optional(v.string()),
});
export type UninstalledItem = v.InferOutput<typeof UninstalledItemSchema>;

export const UpgradableItemSchema = v.object({
  name: NameSchema,
  version_from: VersionSchema,
  version_to: VersionSchema,
  source: NameSchema,
  /**
   * `security` marks a security upgrade; empty or missing means an ordinary one (docs/protocol.md,
   * "Our extensions").
   */
  type: v.optional(v.nullable(v.pipe(StoredString, v.maxLength(MAX_NAME_LENGTH)))),
});
export type UpgradableItem = v.InferOutput<typeof UpgradableItemSchema>;

export const RunningKernelSchema = v.object({
  release: v.optional(v.pipe(StoredString, v.maxLength(MAX_NAME_LENGTH))),
  version: NameSchema,
});
export type RunningKernel = v.InferOutput<typeof RunningKernelSchema>;

/** Most kernel images, flag-file packages and services a report may list (a host has a handful). */
export const MAX_KERNEL_IMAGES = 64;
export const MAX_REBOOT_LIST = 1000;

/**
 * Our agent's facts about reboots (docs/protocol.md, "Reboot facts"): optional, so older clients
 * keep working; its presence says the agent looked, so an absent flag file means there is none.
 */
export const RebootFactsSchema = v.object({
  /** When the host booted, in seconds since the epoch (`btime` of /proc/stat). */
  boot_time: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 40))),
  /** Every installed `linux-image-<release>` package with its version. */
  kernel_images: v.pipe(
    v.array(v.object({ name: NameSchema, version: VersionSchema })),
    v.maxLength(MAX_KERNEL_IMAGES),
  ),
  /** /run/reboot-required existed, with the package names of /run/reboot-required.pkgs. */
  reboot_required: v.optional(
    v.nullable(
      v.object({ packages: v.optional(v.pipe(v.array(NameSchema), v.maxLength(MAX_REBOOT_LIST)), []) }),
    ),
  ),
  /** What `needrestart -b` said, when the agent could run it. */
  needrestart: v.optional(
    v.object({
      /** NEEDRESTART-KSTA: 0 unknown, 1 current, 2 ABI upgrade, 3 version upgrade. */
      kernel_status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3))),
      /** NEEDRESTART-SVC: the units that run outdated binaries or libraries. */
      services: v.optional(v.pipe(v.array(NameSchema), v.maxLength(MAX_REBOOT_LIST)), []),
    }),
  ),
});
export type RebootFacts = v.InferOutput<typeof RebootFactsSchema>;

/** The update types a client sends; any value other than `full` is a partial update. */
export const UPDATE_TYPES = ['full', 'upgradable', 'dpkg_hook', 'partial'] as const;

const PackageListsEntries = {
  installed: v.optional(v.array(InstalledItemSchema), []),
  uninstalled: v.optional(v.array(UninstalledItemSchema), []),
  upgradable: v.optional(v.array(UpgradableItemSchema), []),
};

export const HostReportSchema = v.object({
  api_version: v.optional(v.string()),
  hostname: v.pipe(StoredString, v.maxLength(MAX_NAME_LENGTH)),
  os: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  running_kernel: RunningKernelSchema,
  update_type: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(32)),
  reboot: v.optional(RebootFactsSchema),
  ...PackageListsEntries,
});
export type HostReport = v.InferOutput<typeof HostReportSchema>;

export const ImageReportSchema = v.object({
  api_version: v.optional(v.string()),
  image_name: v.pipe(StoredString, v.maxLength(MAX_NAME_LENGTH)),
  os: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  update_type: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(32)),
  ...PackageListsEntries,
});
export type ImageReport = v.InferOutput<typeof ImageReportSchema>;

/** How many items a decoded report body lists (installed, upgradable, uninstalled), before validation. */
export function countListedPackages(body: Record<string, unknown>): number {
  let total = 0;
  for (const key of ['installed', 'upgradable', 'uninstalled'])
    if (Array.isArray(body[key])) total += (body[key] as unknown[]).length;
  return total;
}

/** The package lists a host or image report carries. */
export type PackageLists = Pick<HostReport, 'installed' | 'uninstalled' | 'upgradable'>;

/** Turns valibot issues into one line an operator can act on: `installed[3].version: must not be empty`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
        .join('')
        .replace(/^\./, '');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
