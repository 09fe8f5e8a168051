/**
 * The data model for MySQL/MariaDB (docs/architecture.md, "The database seam"). Mirror of ./sqlite.ts:
 * identical export, table and column names. Identifier columns use a binary collation so that they
 * compare case-sensitively, as on SQLite (Debian versions and package names differ by case).
 */
import { sql } from 'drizzle-orm';
import {
  type AnyMySqlColumn,
  bigint,
  boolean,
  check,
  customType,
  datetime,
  foreignKey,
  index,
  int,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/mysql-core';

const binaryVarchar = customType<{ data: string; config: { length: number } }>({
  dataType: (config) => `varchar(${config?.length ?? 255}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
});

const id = () => int('id').autoincrement().primaryKey();
const ref = (column: string) => int(column);
const name = (column = 'name', length = 255) => binaryVarchar(column, { length }).notNull();
const stamp = (column: string) => datetime(column, { mode: 'date', fsp: 3 });
const timestamps = () => ({
  created: stamp('created').notNull(),
  modified: stamp('modified').notNull(),
});

export const operatingSystems = mysqlTable('os', {
  id: id(),
  name: name('name', 32).unique('os_name_unique'),
});

export const srcPackages = mysqlTable('src_packages', {
  id: id(),
  name: name().unique('src_packages_name_unique'),
});

export const srcPackageVersions = mysqlTable(
  'src_package_versions',
  {
    id: id(),
    srcPackageId: ref('src_package_id').notNull(),
    version: name('version'),
    osId: ref('os_id').notNull(),
    ...timestamps(),
  },
  (t) => [
    foreignKey({
      name: 'src_package_versions_src_package_id_fk',
      columns: [t.srcPackageId],
      foreignColumns: [srcPackages.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'src_package_versions_os_id_fk',
      columns: [t.osId],
      foreignColumns: [operatingSystems.id],
    }).onDelete('restrict'),

    uniqueIndex('src_package_versions_unique').on(t.srcPackageId, t.version, t.osId),
    index('src_package_versions_os_idx').on(t.osId),
    index('src_package_versions_version_idx').on(t.version),
  ],
);

export const packages = mysqlTable('packages', {
  id: id(),
  name: name().unique('packages_name_unique'),
});

export const packageVersions = mysqlTable(
  'package_versions',
  {
    id: id(),
    packageId: ref('package_id').notNull(),
    version: name('version'),
    osId: ref('os_id').notNull(),
    srcPackageVersionId: ref('src_package_version_id').notNull(),
    ...timestamps(),
  },
  (t) => [
    foreignKey({
      name: 'package_versions_package_id_fk',
      columns: [t.packageId],
      foreignColumns: [packages.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'package_versions_os_id_fk',
      columns: [t.osId],
      foreignColumns: [operatingSystems.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'package_versions_src_package_version_id_fk',
      columns: [t.srcPackageVersionId],
      foreignColumns: [srcPackageVersions.id],
    }).onDelete('restrict'),

    uniqueIndex('package_versions_unique').on(t.packageId, t.version, t.osId),
    index('package_versions_src_idx').on(t.srcPackageVersionId),
    index('package_versions_os_idx').on(t.osId),
    index('package_versions_version_idx').on(t.version),
  ],
);

export const kernels = mysqlTable(
  'kernels',
  {
    id: id(),
    /** The kernel build banner (`platform.version()`): the key, as upstream. */
    name: name(),
    slug: name('slug'),
    /** `uname -r` (`6.1.0-18-amd64`); upstream discards it, we keep the latest one seen for display. */
    release: binaryVarchar('release', { length: 255 }),
    osId: ref('os_id').notNull(),
    ...timestamps(),
  },
  (t) => [
    foreignKey({
      name: 'kernels_os_id_fk',
      columns: [t.osId],
      foreignColumns: [operatingSystems.id],
    }).onDelete('restrict'),
    uniqueIndex('kernels_unique').on(t.name, t.osId),
    index('kernels_os_slug_idx').on(t.osId, t.slug),
  ],
);

/** Counters kept by the ingest path so that list pages sort and page without aggregating. */
const packageCounters = () => ({
  packageCount: int('package_count').notNull().default(0),
  upgradeCount: int('upgrade_count').notNull().default(0),
  securityCount: int('security_count').notNull().default(0),
  cveFixable: int('cve_fixable').notNull().default(0),
  cveUrgent: int('cve_urgent').notNull().default(0),
});

/** What a host's reports say about reboots and liveness (mirror of ./sqlite.ts). */
const rebootColumns = () => ({
  kernelState: int('kernel_state').notNull().default(0),
  kernelStateReason: text('kernel_state_reason'),
  kernelStateSince: stamp('kernel_state_since'),
  rebootRequired: int('reboot_required').notNull().default(0),
  rebootReasons: text('reboot_reasons'),
  rebootRequiredSince: stamp('reboot_required_since'),
  bootTime: stamp('boot_time'),
  restartServices: text('restart_services'),
  restartServiceCount: int('restart_service_count'),
  lastFullReport: stamp('last_full_report'),
});

/** A host's or image's last upgrade and oldest pending security upgrade (mirror of ./sqlite.ts). */
const historyColumns = () => ({
  lastUpgraded: stamp('last_upgraded'),
  securitySince: stamp('security_since'),
});

/**
 * The columns host and image package rows share: the installed version and the pending upgrade.
 */
const packageRowColumns = () => ({
  packageId: ref('package_id').notNull(),
  packageVersionId: ref('package_version_id').notNull(),
  upgradablePackageId: ref('upgradable_package_id'),
  upgradableVersionId: ref('upgradable_version_id'),
  upgradeType: binaryVarchar('upgrade_type', { length: 255 }),
  /** When a report first showed the pending candidate ("pending since"); NULL without one. */
  upgradeSince: stamp('upgrade_since'),
  ...timestamps(),
});

type PackageRowColumns = {
  [K in
    | 'packageId'
    | 'packageVersionId'
    | 'upgradablePackageId'
    | 'upgradableVersionId'
    | 'upgradeType']: AnyMySqlColumn;
};

/** The foreign keys and indexes every page query and the ingest path need on a package-row table. */
function packageRowConstraints(table: string, t: PackageRowColumns) {
  const restrict = (column: string, own: AnyMySqlColumn, target: AnyMySqlColumn) =>
    foreignKey({ name: `${table}_${column}_fk`, columns: [own], foreignColumns: [target] }).onDelete(
      'restrict',
    );
  return [
    restrict('package_id', t.packageId, packages.id),
    restrict('package_version_id', t.packageVersionId, packageVersions.id),
    restrict('upgradable_package_id', t.upgradablePackageId, packages.id),
    restrict('upgradable_version_id', t.upgradableVersionId, packageVersions.id),
    index(`${table}_package_idx`).on(t.packageId),
    index(`${table}_version_idx`).on(t.packageVersionId),
    index(`${table}_upgradable_version_idx`).on(t.upgradableVersionId),
    index(`${table}_upgrade_idx`).on(t.upgradablePackageId, t.upgradeType),
  ];
}

export const hosts = mysqlTable(
  'hosts',
  {
    id: id(),
    name: name().unique('hosts_name_unique'),
    osId: ref('os_id').notNull(),
    kernelId: ref('kernel_id').notNull(),
    ...packageCounters(),
    ...timestamps(),
    ...rebootColumns(),
    ...historyColumns(),
  },
  (t) => [
    foreignKey({ name: 'hosts_os_id_fk', columns: [t.osId], foreignColumns: [operatingSystems.id] }).onDelete(
      'restrict',
    ),
    foreignKey({ name: 'hosts_kernel_id_fk', columns: [t.kernelId], foreignColumns: [kernels.id] }).onDelete(
      'restrict',
    ),

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

export const hostPackages = mysqlTable(
  'host_packages',
  {
    id: id(),
    hostId: ref('host_id').notNull(),
    ...packageRowColumns(),
  },
  (t) => [
    foreignKey({
      name: 'host_packages_host_id_fk',
      columns: [t.hostId],
      foreignColumns: [hosts.id],
    }).onDelete('cascade'),
    uniqueIndex('host_packages_unique').on(t.hostId, t.packageId),
    ...packageRowConstraints('host_packages', t),
  ],
);

export const images = mysqlTable(
  'images',
  {
    id: id(),
    name: name().unique('images_name_unique'),
    osId: ref('os_id').notNull(),
    ...packageCounters(),
    ...timestamps(),
    ...historyColumns(),
  },
  (t) => [
    foreignKey({
      name: 'images_os_id_fk',
      columns: [t.osId],
      foreignColumns: [operatingSystems.id],
    }).onDelete('restrict'),

    index('images_os_idx').on(t.osId),
    index('images_modified_idx').on(t.modified),
    index('images_counts_idx').on(t.securityCount, t.upgradeCount, t.packageCount),
    index('images_last_upgraded_idx').on(t.lastUpgraded),
    index('images_security_since_idx').on(t.securitySince),
    index('images_cve_fixable_idx').on(t.cveFixable),
    index('images_cve_urgent_idx').on(t.cveUrgent),
  ],
);

export const imagePackages = mysqlTable(
  'image_packages',
  {
    id: id(),
    imageId: ref('image_id').notNull(),
    ...packageRowColumns(),
  },
  (t) => [
    foreignKey({
      name: 'image_packages_image_id_fk',
      columns: [t.imageId],
      foreignColumns: [images.id],
    }).onDelete('cascade'),
    uniqueIndex('image_packages_unique').on(t.imageId, t.packageId),
    ...packageRowConstraints('image_packages', t),
  ],
);

/** What reports and deletions did to hosts and images (mirror of ./sqlite.ts); a bigint id, as deltas. */
export const packageEvents = mysqlTable(
  'package_events',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    ownerKind: binaryVarchar('owner_kind', { length: 8 }).notNull(),
    ownerId: int('owner_id').notNull(),
    created: stamp('created').notNull(),
    kind: binaryVarchar('kind', { length: 16 }).notNull(),
    reportType: binaryVarchar('report_type', { length: 32 }),
    packageId: ref('package_id'),
    fromVersionId: ref('from_version_id'),
    toVersionId: ref('to_version_id'),
    detail: text('detail'),
  },
  (t) => [
    foreignKey({
      name: 'package_events_package_id_fk',
      columns: [t.packageId],
      foreignColumns: [packages.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'package_events_from_version_id_fk',
      columns: [t.fromVersionId],
      foreignColumns: [packageVersions.id],
    }).onDelete('restrict'),
    foreignKey({
      name: 'package_events_to_version_id_fk',
      columns: [t.toVersionId],
      foreignColumns: [packageVersions.id],
    }).onDelete('restrict'),
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

/** "What changed" by the hour: see ./sqlite.ts. */
export const packageChangeHours = mysqlTable(
  'package_change_hours',
  {
    hour: stamp('hour').notNull(),
    kind: binaryVarchar('kind', { length: 16 }).notNull(),
    fromVersionId: int('from_version_id').notNull(),
    toVersionId: int('to_version_id').notNull(),
    changes: int('changes').notNull(),
    firstChange: stamp('first_change').notNull(),
    lastChange: stamp('last_change').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.kind, t.fromVersionId, t.toVersionId] })],
);

/**
 * Per-package counts over host rows plus image rows (docs/architecture.md, "Package counts"):
 * installed, upgrades pending to the package, and of those the security ones. The folded base: on
 * MySQL reports append their changes to package_count_deltas, and the fold
 * (src/store/counts/package-count-fold.ts) adds them here (on SQLite reports add here in place, ./sqlite.ts);
 * the exact counts are this row plus the package's pending deltas. A table of its own, so that
 * reports, which lock `packages` rows in the catalog upsert, never contend with the fold.
 */
export const packageCounts = mysqlTable(
  'package_counts',
  {
    packageId: ref('package_id').primaryKey(),
    installed: int('installed').notNull().default(0),
    upgrades: int('upgrades').notNull().default(0),
    security: int('security').notNull().default(0),
  },
  (t) => [
    foreignKey({
      name: 'package_counts_package_id_fk',
      columns: [t.packageId],
      foreignColumns: [packages.id],
    }).onDelete('cascade'),
  ],
);

/**
 * Append-only changes to package_counts: every write path inserts one row per package it moved, in
 * its own transaction (pure inserts, so concurrent reports never wait on each other's counters); the
 * fold adds them to package_counts and deletes them. The cascade drops the pending deltas of a
 * deleted package. InnoDB adds an index for the foreign key by itself. The id is a bigint: every
 * report takes ids, for the life of the database.
 */
export const packageCountDeltas = mysqlTable(
  'package_count_deltas',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    packageId: ref('package_id').notNull(),
    installed: int('installed').notNull(),
    upgrades: int('upgrades').notNull(),
    security: int('security').notNull(),
  },
  (t) => [
    foreignKey({
      name: 'package_count_deltas_package_id_fk',
      columns: [t.packageId],
      foreignColumns: [packages.id],
    }).onDelete('cascade'),
  ],
);

export const kubernetesImages = mysqlTable(
  'kubernetes_images',
  {
    id: id(),
    cluster: name('cluster'),
    namespace: name('namespace'),
    imageId: ref('image_id').notNull(),
    containers: int('containers').notNull(),
    ...timestamps(),
  },
  (t) => [
    foreignKey({
      name: 'kubernetes_images_image_id_fk',
      columns: [t.imageId],
      foreignColumns: [images.id],
    }).onDelete('restrict'),

    uniqueIndex('kubernetes_images_unique').on(t.cluster, t.namespace, t.imageId),
    index('kubernetes_images_image_idx').on(t.imageId),
    check('kubernetes_images_containers_check', sql`${t.containers} >= 0`),
  ],
);

export const users = mysqlTable('users', {
  id: id(),
  username: name('username', 150).unique('users_username_unique'),
  /** argon2id hash from Bun.password; NULL for accounts that only sign in through CAS. */
  passwordHash: binaryVarchar('password_hash', { length: 255 }),
  isActive: boolean('is_active').notNull().default(true),
  isSuperuser: boolean('is_superuser').notNull().default(false),
  lastLogin: stamp('last_login'),
  created: stamp('created').notNull(),
});

export const sessions = mysqlTable(
  'sessions',
  {
    id: id(),
    /** SHA-256 of the cookie value: a leaked database does not hand out live sessions. */
    tokenHash: name('token_hash', 64).unique('sessions_token_hash_unique'),
    userId: ref('user_id').notNull(),
    csrfToken: name('csrf_token', 64),
    created: stamp('created').notNull(),
    lastSeen: stamp('last_seen').notNull(),
    expires: stamp('expires').notNull(),
  },
  (t) => [
    foreignKey({ name: 'sessions_user_id_fk', columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      'cascade',
    ),
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expires),
  ],
);

/** Failed sign-ins, for rate limiting per account and per address across all server instances. */
export const loginFailures = mysqlTable(
  'login_failures',
  {
    id: id(),
    /** `user:<name>`, `addr:<ip>` or `device:<hash>`. */
    subject: name('subject'),
    created: stamp('created').notNull(),
  },
  (t) => [index('login_failures_subject_idx').on(t.subject, t.created)],
);

/** CAS service tickets already validated, so a replayed ticket is refused on every instance. */
export const usedTickets = mysqlTable(
  'used_tickets',
  {
    id: id(),
    ticketHash: name('ticket_hash', 64).unique('used_tickets_hash_unique'),
    created: stamp('created').notNull(),
  },
  (t) => [index('used_tickets_created_idx').on(t.created)],
);

/**
 * Enrollment tokens of the built-in CA (docs/protocol.md, "Enrollment"): a SHA-256 of the token,
 * never the token, so a leaked database enrolls nobody.
 */
export const enrollTokens = mysqlTable('enroll_tokens', {
  id: id(),
  tokenHash: name('token_hash', 64).unique('enroll_tokens_token_hash_unique'),
  /** Shell-style pattern the requested host name must match (`*.example.org`). */
  hostPattern: name('host_pattern', 253),
  usesLeft: int('uses_left').notNull(),
  expires: stamp('expires').notNull(),
  created: stamp('created').notNull(),
});

/** Certificates the built-in CA signed, and their revocation: the CA key itself stays in PKI_DIR. */
export const issuedCertificates = mysqlTable(
  'issued_certificates',
  {
    id: id(),
    /** Lowercase hex without leading zeros. */
    serial: name('serial', 64).unique('issued_certificates_serial_unique'),
    commonName: name('common_name', 253),
    notAfter: stamp('not_after').notNull(),
    /** `enrollment`, `renewal` or `command`. */
    origin: name('origin', 16),
    created: stamp('created').notNull(),
    /** When it was revoked; NULL while it is good. */
    revoked: stamp('revoked'),
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
export const cveFeeds = mysqlTable('cve_feeds', {
  id: id(),
  /** `loading` while rows are written, then `current`; the previous current one is deleted. */
  state: name('state', 16),
  /** The URL or file it was read from. */
  source: text('source').notNull(),
  /** The feed's Last-Modified, or the import time when the server sent none. */
  feedTime: stamp('feed_time').notNull(),
  imported: stamp('imported').notNull(),
  /** The codenames kept, comma-separated. */
  releases: text('releases').notNull(),
  statusRows: int('status_rows').notNull(),
  cveCount: int('cve_count').notNull(),
});

/** Per CVE (or TEMP- id) of an import: what the tracker says whatever the release. */
export const cveIssues = mysqlTable(
  'cve_issues',
  {
    id: id(),
    feedId: ref('feed_id').notNull(),
    cve: name('cve', 64),
    description: text('description'),
    /** `remote`, `local`, or null when NVD does not say. */
    scope: binaryVarchar('scope', { length: 16 }),
    debianBug: int('debian_bug'),
  },
  (t) => [
    foreignKey({
      name: 'cve_issues_feed_id_fk',
      columns: [t.feedId],
      foreignColumns: [cveFeeds.id],
    }).onDelete('cascade'),
    uniqueIndex('cve_issues_unique').on(t.feedId, t.cve),
  ],
);

/** Per (source package, CVE, release) of an import, as the tracker gives it (domain/tracker-feed.ts). */
export const cvePackageStatus = mysqlTable(
  'cve_package_status',
  {
    id: id(),
    feedId: ref('feed_id').notNull(),
    codename: name('codename', 32),
    source: name('source'),
    cve: name('cve', 64),
    /** `resolved`, `open` or `undetermined`. */
    status: name('status', 16),
    fixedVersion: binaryVarchar('fixed_version', { length: 255 }),
    urgency: name('urgency', 32),
    nodsa: text('nodsa'),
    nodsaReason: binaryVarchar('nodsa_reason', { length: 32 }),
    nextPointUpdate: boolean('next_point_update').notNull(),
    /** The highest version the release's archive has (release, -security, -lts). */
    archiveVersion: binaryVarchar('archive_version', { length: 255 }),
    /** Unstable's fixed version, for versions from another suite. */
    unstableFixedVersion: binaryVarchar('unstable_fixed_version', { length: 255 }),
  },
  (t) => [
    foreignKey({
      name: 'cve_package_status_feed_id_fk',
      columns: [t.feedId],
      foreignColumns: [cveFeeds.id],
    }).onDelete('cascade'),
    uniqueIndex('cve_package_status_unique').on(t.feedId, t.codename, t.source, t.cve),
    index('cve_package_status_cve_idx').on(t.feedId, t.cve),
  ],
);

/** Per (release, source, version) of an import, its stored findings (mirror of ./sqlite.ts). */
export const cveVersionFindings = mysqlTable(
  'cve_version_findings',
  {
    id: id(),
    feedId: ref('feed_id').notNull(),
    codename: name('codename', 32),
    source: name('source'),
    version: name('version'),
    cve: name('cve', 64),
    state: name('state', 16),
    reason: binaryVarchar('reason', { length: 32 }),
    fixedVersion: binaryVarchar('fixed_version', { length: 255 }),
    urgency: name('urgency', 32),
    urgencyRank: int('urgency_rank').notNull(),
  },
  (t) => [
    foreignKey({
      name: 'cve_version_findings_feed_id_fk',
      columns: [t.feedId],
      foreignColumns: [cveFeeds.id],
    }).onDelete('cascade'),
    uniqueIndex('cve_version_findings_unique').on(t.feedId, t.codename, t.source, t.version, t.cve),
    index('cve_version_findings_cve_idx').on(t.feedId, t.cve, t.state),
  ],
);

/** Which (release, source, version) an import has matched (mirror of ./sqlite.ts). */
export const cveMatchedVersions = mysqlTable(
  'cve_matched_versions',
  {
    id: id(),
    feedId: ref('feed_id').notNull(),
    codename: name('codename', 32),
    source: name('source'),
    version: name('version'),
    /** The pair's CVEs found fixed, and not affected: not stored as findings, counted on owner pages. */
    fixed: int('fixed'),
    notAffected: int('not_affected'),
  },
  (t) => [
    foreignKey({
      name: 'cve_matched_versions_feed_id_fk',
      columns: [t.feedId],
      foreignColumns: [cveFeeds.id],
    }).onDelete('cascade'),
    uniqueIndex('cve_matched_versions_unique').on(t.feedId, t.codename, t.source, t.version),
  ],
);

/** The (release, source, version) pairs of a host or image (mirror of ./sqlite.ts). */
const cvePairColumns = () => ({
  codename: name('codename', 32),
  source: name('source'),
  version: name('version'),
});

export const hostCvePairs = mysqlTable(
  'host_cve_pairs',
  {
    id: id(),
    hostId: ref('host_id').notNull(),
    ...cvePairColumns(),
  },
  (t) => [
    foreignKey({
      name: 'host_cve_pairs_host_id_fk',
      columns: [t.hostId],
      foreignColumns: [hosts.id],
    }).onDelete('cascade'),
    uniqueIndex('host_cve_pairs_unique').on(t.hostId, t.source, t.version),
    index('host_cve_pairs_version_idx').on(t.codename, t.source, t.version, t.hostId),
  ],
);

export const imageCvePairs = mysqlTable(
  'image_cve_pairs',
  {
    id: id(),
    imageId: ref('image_id').notNull(),
    ...cvePairColumns(),
  },
  (t) => [
    foreignKey({
      name: 'image_cve_pairs_image_id_fk',
      columns: [t.imageId],
      foreignColumns: [images.id],
    }).onDelete('cascade'),
    uniqueIndex('image_cve_pairs_unique').on(t.imageId, t.source, t.version),
    index('image_cve_pairs_version_idx').on(t.codename, t.source, t.version, t.imageId),
  ],
);

/** Per CVE, the hosts and images it touches by state (mirror of ./sqlite.ts). */
export const cveFleet = mysqlTable(
  'cve_fleet',
  {
    id: id(),
    cve: name('cve', 64),
    hostsFixable: int('hosts_fixable').notNull(),
    hostsUnfixed: int('hosts_unfixed').notNull(),
    hostsOther: int('hosts_other').notNull(),
    imagesFixable: int('images_fixable').notNull(),
    imagesUnfixed: int('images_unfixed').notNull(),
    imagesOther: int('images_other').notNull(),
    fixable: int('fixable').notNull(),
    affected: int('affected').notNull(),
    urgency: name('urgency', 32),
    urgencyRank: int('urgency_rank').notNull(),
  },
  (t) => [
    uniqueIndex('cve_fleet_cve_unique').on(t.cve),
    index('cve_fleet_fixable_idx').on(t.fixable, t.urgencyRank, t.cve),
    index('cve_fleet_affected_idx').on(t.affected, t.cve),
    index('cve_fleet_urgency_idx').on(t.urgencyRank, t.cve),
  ],
);
