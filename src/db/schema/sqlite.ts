/**
 * The data model for SQLite (docs/architecture.md, "The database seam"). Mirrored by ./mysql.ts with
 * identical export, table and column names; test/db/schema-parity.test.ts keeps the two in step.
 * Timestamps are UTC milliseconds; text compares case-sensitively (BINARY), as Debian versions need.
 */
import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

const id = () => integer('id').primaryKey({ autoIncrement: true });
const name = (column = 'name') => text(column).notNull();
const timestamps = () => ({
  created: integer('created', { mode: 'timestamp_ms' }).notNull(),
  modified: integer('modified', { mode: 'timestamp_ms' }).notNull(),
});

export const operatingSystems = sqliteTable('os', {
  id: id(),
  name: text('name').notNull().unique('os_name_unique'),
});

export const srcPackages = sqliteTable('src_packages', {
  id: id(),
  name: name().unique('src_packages_name_unique'),
});

export const srcPackageVersions = sqliteTable(
  'src_package_versions',
  {
    id: id(),
    srcPackageId: integer('src_package_id')
      .notNull()
      .references(() => srcPackages.id, { onDelete: 'restrict' }),
    version: name('version'),
    osId: integer('os_id')
      .notNull()
      .references(() => operatingSystems.id, { onDelete: 'restrict' }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('src_package_versions_unique').on(t.srcPackageId, t.version, t.osId),
    index('src_package_versions_os_idx').on(t.osId),
    index('src_package_versions_version_idx').on(t.version),
  ],
);

export const packages = sqliteTable('packages', {
  id: id(),
  name: name().unique('packages_name_unique'),
});

export const packageVersions = sqliteTable(
  'package_versions',
  {
    id: id(),
    packageId: integer('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'restrict' }),
    version: name('version'),
    osId: integer('os_id')
      .notNull()
      .references(() => operatingSystems.id, { onDelete: 'restrict' }),
    srcPackageVersionId: integer('src_package_version_id')
      .notNull()
      .references(() => srcPackageVersions.id, { onDelete: 'restrict' }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('package_versions_unique').on(t.packageId, t.version, t.osId),
    index('package_versions_src_idx').on(t.srcPackageVersionId),
    index('package_versions_os_idx').on(t.osId),
    index('package_versions_version_idx').on(t.version),
  ],
);

export const kernels = sqliteTable(
  'kernels',
  {
    id: id(),
    /** The kernel build banner (`platform.version()`): the key, as upstream. */
    name: name(),
    slug: name('slug'),
    /** `uname -r` (`6.1.0-18-amd64`); upstream discards it, we keep the latest one seen for display. */
    release: text('release'),
    osId: integer('os_id')
      .notNull()
      .references(() => operatingSystems.id, { onDelete: 'restrict' }),
    ...timestamps(),
  },
  (t) => [uniqueIndex('kernels_unique').on(t.name, t.osId), index('kernels_os_slug_idx').on(t.osId, t.slug)],
);

/** Counters kept by the ingest path so that list pages sort and page without aggregating. */
const packageCounters = () => ({
  packageCount: integer('package_count').notNull().default(0),
  upgradeCount: integer('upgrade_count').notNull().default(0),
  securityCount: integer('security_count').notNull().default(0),
  /** CVEs with a fix in the release that the owner lacks (docs/cve.md, "Stored findings"). */
  cveFixable: integer('cve_fixable').notNull().default(0),
  /** Of those, the ones of high or medium urgency (the dashboard's card). */
  cveUrgent: integer('cve_urgent').notNull().default(0),
});

/**
 * What a host's reports say about reboots and liveness (docs/reboot.md), written by the report's one
 * UPDATE of the host row. `kernel_state` is needrestart's code (0 unknown … 3 version upgrade).
 */
const rebootColumns = () => ({
  kernelState: integer('kernel_state').notNull().default(0),
  kernelStateReason: text('kernel_state_reason'),
  kernelStateSince: integer('kernel_state_since', { mode: 'timestamp_ms' }),
  rebootRequired: integer('reboot_required').notNull().default(0),
  rebootReasons: text('reboot_reasons'),
  rebootRequiredSince: integer('reboot_required_since', { mode: 'timestamp_ms' }),
  bootTime: integer('boot_time', { mode: 'timestamp_ms' }),
  /** needrestart's services, one per line; NULL when the agent did not run needrestart. */
  restartServices: text('restart_services'),
  restartServiceCount: integer('restart_service_count'),
  /** The last full report; stale and silent hosts are judged by it and by `modified`. */
  lastFullReport: integer('last_full_report', { mode: 'timestamp_ms' }),
});

/**
 * What a host's or image's history says about it (docs/history.md), kept by the report that changes
 * it: its last upgrade event, and when its oldest pending security upgrade was first seen.
 */
const historyColumns = () => ({
  lastUpgraded: integer('last_upgraded', { mode: 'timestamp_ms' }),
  securitySince: integer('security_since', { mode: 'timestamp_ms' }),
});

/**
 * The columns host and image package rows share: the installed version and the pending upgrade.
 */
const packageRowColumns = () => ({
  packageId: integer('package_id')
    .notNull()
    .references(() => packages.id, { onDelete: 'restrict' }),
  packageVersionId: integer('package_version_id')
    .notNull()
    .references(() => packageVersions.id, { onDelete: 'restrict' }),
  upgradablePackageId: integer('upgradable_package_id').references(() => packages.id, {
    onDelete: 'restrict',
  }),
  upgradableVersionId: integer('upgradable_version_id').references(() => packageVersions.id, {
    onDelete: 'restrict',
  }),
  upgradeType: text('upgrade_type'),
  /** When a report first showed the pending candidate ("pending since"); NULL without one. */
  upgradeSince: integer('upgrade_since', { mode: 'timestamp_ms' }),
  ...timestamps(),
});

/** The indexes every page query and the ingest path need on a package-row table. */
function packageRowIndexes(
  table: string,
  t: {
    packageId: AnySQLiteColumn;
    packageVersionId: AnySQLiteColumn;
    upgradableVersionId: AnySQLiteColumn;
    upgradablePackageId: AnySQLiteColumn;
    upgradeType: AnySQLiteColumn;
  },
) {
  return [
    index(`${table}_package_idx`).on(t.packageId),
    index(`${table}_version_idx`).on(t.packageVersionId),
    index(`${table}_upgradable_version_idx`).on(t.upgradableVersionId),
    index(`${table}_upgrade_idx`).on(t.upgradablePackageId, t.upgradeType),
  ];
}

export const hosts = sqliteTable(
  'hosts',
  {
    id: id(),
    name: name().unique('hosts_name_unique'),
    osId: integer('os_id')
      .notNull()
      .references(() => operatingSystems.id, { onDelete: 'restrict' }),
    kernelId: integer('kernel_id')
      .notNull()
      .references(() => kernels.id, { onDelete: 'restrict' }),
    ...packageCounters(),
    ...timestamps(),
    ...rebootColumns(),
    ...historyColumns(),
  },
  (t) => [
    index('hosts_kernel_idx').on(t.kernelId),
    index('hosts_os_idx').on(t.osId),
    index('hosts_modified_idx').on(t.modified),
    index('hosts_counts_idx').on(t.securityCount, t.upgradeCount, t.packageCount),
    index('hosts_reboot_idx').on(t.rebootRequired),
    index('hosts_last_full_report_idx').on(t.lastFullReport),
    index('hosts_last_upgraded_idx').on(t.lastUpgraded),
    index('hosts_security_since_idx').on(t.securitySince),
    index('hosts_cve_fixable_idx').on(t.cveFixable),
    index('hosts_cve_urgent_idx').on(t.cveUrgent),
  ],
);

export const hostPackages = sqliteTable(
  'host_packages',
  {
    id: id(),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    ...packageRowColumns(),
  },
  (t) => [
    uniqueIndex('host_packages_unique').on(t.hostId, t.packageId),
    ...packageRowIndexes('host_packages', t),
  ],
);

export const images = sqliteTable(
  'images',
  {
    id: id(),
    name: name().unique('images_name_unique'),
    osId: integer('os_id')
      .notNull()
      .references(() => operatingSystems.id, { onDelete: 'restrict' }),
    ...packageCounters(),
    ...timestamps(),
    ...historyColumns(),
  },
  (t) => [
    index('images_os_idx').on(t.osId),
    index('images_modified_idx').on(t.modified),
    index('images_counts_idx').on(t.securityCount, t.upgradeCount, t.packageCount),
    index('images_last_upgraded_idx').on(t.lastUpgraded),
    index('images_security_since_idx').on(t.securitySince),
    index('images_cve_fixable_idx').on(t.cveFixable),
    index('images_cve_urgent_idx').on(t.cveUrgent),
  ],
);

export const imagePackages = sqliteTable(
  'image_packages',
  {
    id: id(),
    imageId: integer('image_id')
      .notNull()
      .references(() => images.id, { onDelete: 'cascade' }),
    ...packageRowColumns(),
  },
  (t) => [
    uniqueIndex('image_packages_unique').on(t.imageId, t.packageId),
    ...packageRowIndexes('image_packages', t),
  ],
);

/**
 * What reports and deletions did to hosts and images (docs/history.md): one row per package
 * installed, upgraded, downgraded or removed, one `baseline` row for an owner's first report and one
 * `deleted` tombstone. No foreign key to the owner, so that the history outlives it; the versions it
 * names stay in the catalog until retention prunes the rows (src/store/gc.ts).
 */
export const packageEvents = sqliteTable(
  'package_events',
  {
    id: id(),
    /** `host` or `image`. */
    ownerKind: text('owner_kind').notNull(),
    ownerId: integer('owner_id').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    /** `installed`, `upgraded`, `downgraded`, `removed`, `baseline` or `deleted`. */
    kind: text('kind').notNull(),
    /** The report's update_type; for a tombstone, NULL. */
    reportType: text('report_type'),
    packageId: integer('package_id').references(() => packages.id, { onDelete: 'restrict' }),
    fromVersionId: integer('from_version_id').references(() => packageVersions.id, { onDelete: 'restrict' }),
    toVersionId: integer('to_version_id').references(() => packageVersions.id, { onDelete: 'restrict' }),
    /** A baseline's package count; a tombstone's owner name and who deleted it. */
    detail: text('detail'),
  },
  (t) => [
    index('package_events_owner_idx').on(t.ownerKind, t.ownerId, t.id),
    // The range scans of "what changed" and retention read only this index.
    index('package_events_created_idx').on(
      t.created,
      t.ownerKind,
      t.kind,
      t.fromVersionId,
      t.toVersionId,
      t.ownerId,
    ),
    // "What changed" for a host name pattern: each matching host's events of the range, read from
    // this index alone (docs/history.md, "What changed").
    index('package_events_owner_created_idx').on(
      t.ownerKind,
      t.ownerId,
      t.created,
      t.kind,
      t.fromVersionId,
      t.toVersionId,
    ),
    index('package_events_package_idx').on(t.packageId, t.id),
    index('package_events_from_idx').on(t.fromVersionId),
    index('package_events_to_idx').on(t.toVersionId),
  ],
);

/**
 * "What changed" by the hour (docs/history.md): per UTC hour, kind and versions, how many host package
 * events of that hour made that change, and the first and last of them. Kept by ingest in the report's
 * transaction (one additive upsert), so that a long range reads hours, not events. 0 stands for no
 * version (an install has no `from`, a removal no `to`): key columns cannot be NULL. No foreign keys:
 * an hour is pruned with (or before) the events that name the same versions (src/store/gc.ts).
 */
export const packageChangeHours = sqliteTable(
  'package_change_hours',
  {
    hour: integer('hour', { mode: 'timestamp_ms' }).notNull(),
    kind: text('kind').notNull(),
    fromVersionId: integer('from_version_id').notNull(),
    toVersionId: integer('to_version_id').notNull(),
    changes: integer('changes').notNull(),
    firstChange: integer('first_change', { mode: 'timestamp_ms' }).notNull(),
    lastChange: integer('last_change', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.kind, t.fromVersionId, t.toVersionId] })],
);

/**
 * Per-package counts over host rows plus image rows (docs/architecture.md, "Package counts"):
 * installed, upgrades pending to the package, and of those the security ones. On SQLite, where writers
 * never run concurrently, each report adds its changes here in place (src/store/counts/package-count-writer.ts);
 * migration 0002 folded the delta rows an older version left. A table of
 * its own, as in ./mysql.ts, where reports must not contend with the fold.
 */
export const packageCounts = sqliteTable('package_counts', {
  packageId: integer('package_id')
    .primaryKey()
    .references(() => packages.id, { onDelete: 'cascade' }),
  installed: integer('installed').notNull().default(0),
  upgrades: integer('upgrades').notNull().default(0),
  security: integer('security').notNull().default(0),
});

/**
 * Append-only changes to package_counts, written where writers run concurrently (MySQL, ./mysql.ts);
 * on SQLite reports add to package_counts in place and write none. The fold adds them to package_counts
 * and deletes them. The cascade drops the pending deltas of a deleted package, so that they never land
 * on a later package that reuses its id (SQLite).
 */
export const packageCountDeltas = sqliteTable('package_count_deltas', {
  id: id(),
  packageId: integer('package_id')
    .notNull()
    .references(() => packages.id, { onDelete: 'cascade' }),
  installed: integer('installed').notNull(),
  upgrades: integer('upgrades').notNull(),
  security: integer('security').notNull(),
});

export const kubernetesImages = sqliteTable(
  'kubernetes_images',
  {
    id: id(),
    cluster: name('cluster'),
    namespace: name('namespace'),
    imageId: integer('image_id')
      .notNull()
      .references(() => images.id, { onDelete: 'restrict' }),
    containers: integer('containers').notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('kubernetes_images_unique').on(t.cluster, t.namespace, t.imageId),
    index('kubernetes_images_image_idx').on(t.imageId),
    check('kubernetes_images_containers_check', sql`${t.containers} >= 0`),
  ],
);

export const users = sqliteTable('users', {
  id: id(),
  username: text('username').notNull().unique('users_username_unique'),
  /** argon2id hash from Bun.password; NULL for accounts that only sign in through CAS. */
  passwordHash: text('password_hash'),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  isSuperuser: integer('is_superuser', { mode: 'boolean' }).notNull().default(false),
  lastLogin: integer('last_login', { mode: 'timestamp_ms' }),
  created: integer('created', { mode: 'timestamp_ms' }).notNull(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: id(),
    /** SHA-256 of the cookie value: a leaked database does not hand out live sessions. */
    tokenHash: text('token_hash').notNull().unique('sessions_token_hash_unique'),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    lastSeen: integer('last_seen', { mode: 'timestamp_ms' }).notNull(),
    expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expires)],
);

/** Failed sign-ins, for rate limiting per account and per address across all server instances. */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: id(),
    /** `user:<name>`, `addr:<ip>` or `device:<hash>`. */
    subject: text('subject').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('login_failures_subject_idx').on(t.subject, t.created)],
);

/** CAS service tickets already validated, so a replayed ticket is refused on every instance. */
export const usedTickets = sqliteTable(
  'used_tickets',
  {
    id: id(),
    ticketHash: text('ticket_hash').notNull().unique('used_tickets_hash_unique'),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('used_tickets_created_idx').on(t.created)],
);

/**
 * Enrollment tokens of the built-in CA (docs/protocol.md, "Enrollment"): a SHA-256 of the token,
 * never the token, so a leaked database enrolls nobody.
 */
export const enrollTokens = sqliteTable('enroll_tokens', {
  id: id(),
  tokenHash: text('token_hash').notNull().unique('enroll_tokens_token_hash_unique'),
  /** Shell-style pattern the requested host name must match (`*.example.org`). */
  hostPattern: text('host_pattern').notNull(),
  usesLeft: integer('uses_left').notNull(),
  expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
  created: integer('created', { mode: 'timestamp_ms' }).notNull(),
});

/** Certificates the built-in CA signed, and their revocation: the CA key itself stays in PKI_DIR. */
export const issuedCertificates = sqliteTable(
  'issued_certificates',
  {
    id: id(),
    /** Lowercase hex without leading zeros. */
    serial: text('serial').notNull().unique('issued_certificates_serial_unique'),
    commonName: text('common_name').notNull(),
    notAfter: integer('not_after', { mode: 'timestamp_ms' }).notNull(),
    /** `enrollment`, `renewal` or `command`. */
    origin: text('origin').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    /** When it was revoked; NULL while it is good. */
    revoked: integer('revoked', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('issued_certificates_common_name_idx').on(t.commonName),
    index('issued_certificates_revoked_idx').on(t.revoked),
  ],
);

/**
 * Imports of the Debian security tracker's feed (docs/cve.md, "The dataset"). Rows of an import carry
 * its id; the one `current` import is what pages read, so an import that fails half-way is never seen.
 */
export const cveFeeds = sqliteTable('cve_feeds', {
  id: id(),
  /** `loading` while rows are written, then `current`; the previous current one is deleted. */
  state: text('state').notNull(),
  /** The URL or file it was read from. */
  source: text('source').notNull(),
  /** The feed's Last-Modified, or the import time when the server sent none. */
  feedTime: integer('feed_time', { mode: 'timestamp_ms' }).notNull(),
  imported: integer('imported', { mode: 'timestamp_ms' }).notNull(),
  /** The codenames kept, comma-separated. */
  releases: text('releases').notNull(),
  statusRows: integer('status_rows').notNull(),
  cveCount: integer('cve_count').notNull(),
});

/** Per CVE (or TEMP- id) of an import: what the tracker says whatever the release. */
export const cveIssues = sqliteTable(
  'cve_issues',
  {
    id: id(),
    feedId: integer('feed_id')
      .notNull()
      .references(() => cveFeeds.id, { onDelete: 'cascade' }),
    cve: text('cve').notNull(),
    description: text('description'),
    /** `remote`, `local`, or null when NVD does not say. */
    scope: text('scope'),
    debianBug: integer('debian_bug'),
  },
  (t) => [uniqueIndex('cve_issues_unique').on(t.feedId, t.cve)],
);

/** Per (source package, CVE, release) of an import, as the tracker gives it (domain/tracker-feed.ts). */
export const cvePackageStatus = sqliteTable(
  'cve_package_status',
  {
    id: id(),
    feedId: integer('feed_id')
      .notNull()
      .references(() => cveFeeds.id, { onDelete: 'cascade' }),
    codename: text('codename').notNull(),
    source: text('source').notNull(),
    cve: text('cve').notNull(),
    /** `resolved`, `open` or `undetermined`. */
    status: text('status').notNull(),
    fixedVersion: text('fixed_version'),
    urgency: text('urgency').notNull(),
    nodsa: text('nodsa'),
    nodsaReason: text('nodsa_reason'),
    nextPointUpdate: integer('next_point_update', { mode: 'boolean' }).notNull(),
    /** The highest version the release's archive has (release, -security, -lts). */
    archiveVersion: text('archive_version'),
    /** Unstable's fixed version, for versions from another suite. */
    unstableFixedVersion: text('unstable_fixed_version'),
  },
  (t) => [
    uniqueIndex('cve_package_status_unique').on(t.feedId, t.codename, t.source, t.cve),
    index('cve_package_status_cve_idx').on(t.feedId, t.cve),
  ],
);

/**
 * The CVE findings of one (release, source, source version) against an import (docs/cve.md, "Stored
 * findings"): one row per CVE that is vulnerable, uncertain or undetermined; fixed and not-affected
 * ones are not stored. Matched once per distinct pair the fleet has, whatever the number of owners
 * sharing it; they go with their import.
 */
export const cveVersionFindings = sqliteTable(
  'cve_version_findings',
  {
    id: id(),
    feedId: integer('feed_id')
      .notNull()
      .references(() => cveFeeds.id, { onDelete: 'cascade' }),
    codename: text('codename').notNull(),
    source: text('source').notNull(),
    version: text('version').notNull(),
    cve: text('cve').notNull(),
    /** `fixable`, `unfixed`, `uncertain` (a version from another suite) or `undetermined`. */
    state: text('state').notNull(),
    /** Why there is no fix (domain/cve-match.ts NoFixReason), or null. */
    reason: text('reason'),
    fixedVersion: text('fixed_version'),
    urgency: text('urgency').notNull(),
    /** domain/cve-findings.ts urgencyRank: 0 high … 6 the rest. */
    urgencyRank: integer('urgency_rank').notNull(),
  },
  (t) => [
    uniqueIndex('cve_version_findings_unique').on(t.feedId, t.codename, t.source, t.version, t.cve),
    index('cve_version_findings_cve_idx').on(t.feedId, t.cve, t.state),
  ],
);

/** Which (release, source, version) an import has matched, findings or none. */
export const cveMatchedVersions = sqliteTable(
  'cve_matched_versions',
  {
    id: id(),
    feedId: integer('feed_id')
      .notNull()
      .references(() => cveFeeds.id, { onDelete: 'cascade' }),
    codename: text('codename').notNull(),
    source: text('source').notNull(),
    version: text('version').notNull(),
    /** The pair's CVEs found fixed, and not affected: not stored as findings, counted on owner pages. */
    fixed: integer('fixed'),
    notAffected: integer('not_affected'),
  },
  (t) => [uniqueIndex('cve_matched_versions_unique').on(t.feedId, t.codename, t.source, t.version)],
);

/**
 * The distinct (release, source, version) pairs a host or image is matched by (docs/cve.md, "Which
 * sources count"): the kernel as `linux` at the running version. Its findings are these pairs joined
 * with cve_version_findings of the current import. Kept by reports while an import is current.
 */
const cvePairColumns = () => ({
  codename: text('codename').notNull(),
  source: text('source').notNull(),
  version: text('version').notNull(),
});

export const hostCvePairs = sqliteTable(
  'host_cve_pairs',
  {
    id: id(),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    ...cvePairColumns(),
  },
  (t) => [
    uniqueIndex('host_cve_pairs_unique').on(t.hostId, t.source, t.version),
    index('host_cve_pairs_version_idx').on(t.codename, t.source, t.version, t.hostId),
  ],
);

export const imageCvePairs = sqliteTable(
  'image_cve_pairs',
  {
    id: id(),
    imageId: integer('image_id')
      .notNull()
      .references(() => images.id, { onDelete: 'cascade' }),
    ...cvePairColumns(),
  },
  (t) => [
    uniqueIndex('image_cve_pairs_unique').on(t.imageId, t.source, t.version),
    index('image_cve_pairs_version_idx').on(t.codename, t.source, t.version, t.imageId),
  ],
);

/**
 * Per CVE, how many hosts and images it touches, by their worst state for it (docs/cve.md, "Stored
 * findings"): moved by deltas as findings change, so that /cves/ sorts and pages on indexed columns.
 * A row whose counts fell to 0 stays (the list filters on `affected`).
 */
export const cveFleet = sqliteTable(
  'cve_fleet',
  {
    id: id(),
    cve: text('cve').notNull(),
    hostsFixable: integer('hosts_fixable').notNull(),
    hostsUnfixed: integer('hosts_unfixed').notNull(),
    hostsOther: integer('hosts_other').notNull(),
    imagesFixable: integer('images_fixable').notNull(),
    imagesUnfixed: integer('images_unfixed').notNull(),
    imagesOther: integer('images_other').notNull(),
    /** Hosts plus images with a fix available. */
    fixable: integer('fixable').notNull(),
    /** Hosts plus images in any stored state. */
    affected: integer('affected').notNull(),
    /** The urgency of the last finding that moved the counts (urgencies rarely differ by release). */
    urgency: text('urgency').notNull(),
    urgencyRank: integer('urgency_rank').notNull(),
  },
  (t) => [
    uniqueIndex('cve_fleet_cve_unique').on(t.cve),
    index('cve_fleet_fixable_idx').on(t.fixable, t.urgencyRank, t.cve),
    index('cve_fleet_affected_idx').on(t.affected, t.cve),
    index('cve_fleet_urgency_idx').on(t.urgencyRank, t.cve),
  ],
);
