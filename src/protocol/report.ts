/**
 * The agent <-> server JSON contract (spec/server.md §3.4, spec/agent.md §4).
 * Shared by both programs: the agent builds these objects, the server validates them.
 */
import * as v from 'valibot';

/** Upstream varchar sizes: longer values are refused with 400 instead of failing in the database. */
export const MAX_NAME_LENGTH = 255;
export const MAX_OS_LENGTH = 32;

const NameSchema = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(MAX_NAME_LENGTH));
const VersionSchema = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(MAX_NAME_LENGTH));

export const InstalledItemSchema = v.object({
  name: NameSchema,
  version: VersionSchema,
  /** Upstream reads `source` only when the version is not recorded yet; the server enforces that rule. */
  source: v.optional(NameSchema),
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
  /** `security` marks a security upgrade; empty or missing means an ordinary one (DESIGN.md decision 2). */
  type: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH)))),
});
export type UpgradableItem = v.InferOutput<typeof UpgradableItemSchema>;

export const RunningKernelSchema = v.object({
  release: v.optional(v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH))),
  version: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(MAX_NAME_LENGTH)),
});
export type RunningKernel = v.InferOutput<typeof RunningKernelSchema>;

/** The update types a client sends; any value other than `full` is a partial update. */
export const UPDATE_TYPES = ['full', 'upgradable', 'dpkg_hook', 'partial'] as const;

const PackageListsEntries = {
  installed: v.optional(v.array(InstalledItemSchema), []),
  uninstalled: v.optional(v.array(UninstalledItemSchema), []),
  upgradable: v.optional(v.array(UpgradableItemSchema), []),
};

export const HostReportSchema = v.object({
  api_version: v.optional(v.string()),
  hostname: v.string(),
  os: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  running_kernel: RunningKernelSchema,
  update_type: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(32)),
  ...PackageListsEntries,
});
export type HostReport = v.InferOutput<typeof HostReportSchema>;

export const ImageReportSchema = v.object({
  api_version: v.optional(v.string()),
  image_name: v.string(),
  os: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  update_type: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(32)),
  ...PackageListsEntries,
});
export type ImageReport = v.InferOutput<typeof ImageReportSchema>;

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
