/**
 * The server configuration (README.md, "Configuration"): upstream DebMonitor's config.json keys, so an
 * existing installation can switch, plus our own keys. Validated once at start.
 */
import * as v from 'valibot';

const StringList = v.array(v.string());
const LinkTemplates = v.record(v.string(), v.pipe(v.string(), v.url('must be an absolute URL template')));
const NonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const PositiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
/** Upstream configs write booleans as JSON booleans, but CAS_CREATE_USER: "FALSE" exists in the wild. */
const Flag = v.union(
  [
    v.boolean(),
    v.pipe(
      v.picklist(['true', 'false', 'True', 'False', 'TRUE', 'FALSE', '1', '0', 'yes', 'no']),
      v.transform((text) => ['true', '1', 'yes'].includes(text.toLowerCase())),
    ),
    v.pipe(
      v.picklist([0, 1]),
      v.transform((n) => n === 1),
    ),
  ],
  'must be true or false',
);

export const MysqlBlockSchema = v.object({
  DB_NAME: v.string(),
  DB_USER: v.string(),
  DB_PASSWORD: v.string(),
  DB_HOST: v.string(),
  DB_PORT: v.union([PositiveInt, v.pipe(v.string(), v.regex(/^\d+$/, 'must be a port number'))]),
  OPTIONS: v.optional(v.record(v.string(), v.unknown()), {}),
});

/** An LDAP attribute name (or OID), as it goes into a search filter unescaped. */
const LdapAttribute = v.pipe(
  v.string(),
  v.regex(/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/, 'must be an LDAP attribute name'),
);
/** One group DN or a list of them, of which any one will do; always a list once parsed. */
const GroupDns = v.pipe(
  v.union([v.string(), v.array(v.string())], 'must be a group DN or a list of group DNs'),
  v.transform((value) => (typeof value === 'string' ? [value] : value)),
);

/**
 * Upstream's LDAP block: django-auth-ldap settings without their AUTH_LDAP_ prefix. Keys of that
 * package this server does not use are accepted and warned about (config/ldap-warnings.ts).
 */
export const LdapBlockSchema = v.looseObject({
  /** One URI, or several separated by spaces (tried in turn, as python-ldap does). */
  SERVER_URI: v.pipe(
    v.string(),
    v.regex(
      /^\s*ldaps?:\/\/[^/\s]+\/?(\s+ldaps?:\/\/[^/\s]+\/?)*\s*$/i,
      'must be ldap://HOST[:PORT] or ldaps://HOST[:PORT]',
    ),
  ),
  /** Empty: search anonymously. */
  BIND_DN: v.optional(v.string(), ''),
  BIND_PASSWORD: v.optional(v.string(), ''),
  USER_SEARCH: v.object({ USER_FIELD: LdapAttribute, SEARCH: v.string() }),
  /** Base of a subtree search for groupOfNames; without it each group is asked about by DN. */
  GROUP_SEARCH: v.optional(v.string()),
  REQUIRE_GROUP: v.optional(GroupDns),
  DENY_GROUP: v.optional(GroupDns),
  /** Account field ← LDAP attribute; only `username` has a field here. */
  USER_ATTR_MAP: v.optional(v.record(v.string(), LdapAttribute), {}),
  USER_FLAGS_BY_GROUP: v.optional(
    v.looseObject({
      is_active: v.optional(GroupDns),
      is_staff: v.optional(GroupDns),
      is_superuser: v.optional(GroupDns),
    }),
    {},
  ),
  CACHE_GROUPS: v.optional(Flag),
  /** Seconds a user's groups are remembered; 0 asks the server at every sign-in. */
  CACHE_TIMEOUT: v.optional(NonNegativeInt),
  /** python-ldap option names and values; only OPT_X_TLS_CACERTFILE has a meaning here. */
  GLOBAL_OPTIONS: v.optional(v.record(v.string(), v.unknown()), {}),
  START_TLS: v.optional(Flag, false),
  ALWAYS_UPDATE_USER: v.optional(Flag, true),
  NO_NEW_USERS: v.optional(Flag, false),
});

export const CasBlockSchema = v.object({
  CAS_SERVER_URL: v.pipe(v.string(), v.url('must be the absolute URL of the CAS server')),
  CAS_VERSION: v.optional(v.picklist(['1', '2', '3', 'CAS_2_SAML_1.0', 1, 2, 3] as const), '2'),
  CAS_CREATE_USER: v.optional(Flag, true),
});

/** The port of the native TLS listener when TLS.PORT says nothing, and of AUTO_TLS. */
export const DEFAULT_TLS_PORT = 8443;

/** Every key the server understands, with its default. */
export const ConfigSchema = v.object({
  // Upstream keys.
  SECRET_KEY: v.optional(v.string()),
  ALLOWED_HOSTS: v.optional(StringList, []),
  VERIFY_CLIENTS: v.optional(Flag, true),
  PROXY_HOSTS: v.optional(StringList, []),
  PROXY_IMAGES: v.optional(StringList, []),
  /**
   * Login is required unless this is false (upstream defaulted to false; docs/protocol.md,
   * "Differences from upstream").
   */
  REQUIRE_LOGIN: v.optional(Flag, true),
  HOST_EXTERNAL_LINKS: v.optional(LinkTemplates, {}),
  IMAGE_EXTERNAL_LINKS: v.optional(LinkTemplates, {}),
  SEARCH_MIN_LENGTH: v.optional(PositiveInt, 3),
  JAVASCRIPT_STORAGE: v.optional(v.string()),
  MYSQL: v.optional(MysqlBlockSchema),
  SQLITE: v.optional(v.object({ FILE: v.pipe(v.string(), v.minLength(1)) })),
  TIME_ZONE: v.optional(v.string(), 'UTC'),
  STATIC_ROOT: v.optional(v.string()),
  LOG_DB_QUERIES: v.optional(Flag, false),
  SECURE_PROXY_SSL_HEADER: v.optional(v.string(), 'HTTP_X_FORWARDED_PROTO'),
  LDAP: v.optional(LdapBlockSchema),
  CAS: v.optional(CasBlockSchema),

  // Our keys.
  /** `sqlite:PATH` or `mysql://USER:PASSWORD@HOST:PORT/DATABASE`; wins over MYSQL and SQLITE. */
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql://')),
  ),
  LISTEN_ADDRESS: v.optional(v.string(), '127.0.0.1'),
  LISTEN_PORT: v.optional(v.pipe(NonNegativeInt, v.maxValue(65535)), 8080),
  /** Addresses whose X-Client-Cert-* and X-Forwarded-* headers are believed. */
  TRUSTED_PROXIES: v.optional(StringList, ['127.0.0.1', '::1', '::ffff:127.0.0.1']),
  /** Apply migrations when `serve` starts. */
  MIGRATE_ON_START: v.optional(Flag, true),
  /** Largest accepted report body, in bytes (a 10,000-package host sends about 1.5 MB). */
  MAX_REPORT_BYTES: v.optional(PositiveInt, 32 * 1024 * 1024),
  /**
   * Most packages a host or image report may list (installed, upgradable and uninstalled items
   * together), and most packages a report may leave a host or image with. Real hosts have 300 to
   * 6,000; one report of 300,000 held every other request for seconds.
   */
  MAX_REPORT_PACKAGES: v.optional(PositiveInt, 50_000),
  /**
   * /kubernetes/update needs a CN in PROXY_IMAGES unless this is false (upstream accepted any verified
   * certificate; docs/protocol.md, "Client certificates").
   */
  KUBERNETES_REQUIRE_PROXY: v.optional(Flag, true),
  /** GC: hosts not updated for this many days are deleted (0 = never). */
  GC_HOST_MAX_AGE_DAYS: v.optional(NonNegativeInt, 15),
  /** GC: images not updated for this many days are deleted (0 = never). */
  GC_IMAGE_MAX_AGE_DAYS: v.optional(NonNegativeInt, 90),
  /** GC: history events older than this many days are pruned (0 = kept forever; docs/history.md). */
  HISTORY_RETENTION_DAYS: v.optional(NonNegativeInt, 400),
  /** Hosts without a full report for longer than this are stale (docs/reboot.md, "Liveness"). */
  STALE_AFTER_HOURS: v.optional(PositiveInt, 36),
  /** Hosts without any report for longer than this are silent. */
  SILENT_AFTER_DAYS: v.optional(PositiveInt, 7),
  /** A file of the FQDNs that should report, one per line (`#` comments); re-read when it changes. */
  EXPECTED_HOSTS_FILE: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** /metrics answers only `Authorization: Bearer <this>`; unset, /metrics does not exist. */
  METRICS_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters long'))),
  /** When not empty, /metrics also requires the client address to be in this list. */
  METRICS_ALLOWED_ADDRESSES: v.optional(StringList, []),
  /** Sign-in sessions end after this long without a request. */
  SESSION_IDLE_SECONDS: v.optional(PositiveInt, 8 * 3600),
  /** Sign-in sessions end this long after sign-in, whatever the activity. */
  SESSION_MAX_AGE_SECONDS: v.optional(PositiveInt, 7 * 24 * 3600),
  /** Where the agent binaries served at /client live (default: agents/ beside the server binary). */
  AGENTS_DIR: v.optional(v.string()),
  /**
   * The built-in CA's directory (ca.key, ca.crt, server.key, server.crt, crl.pem), made by
   * `debmonitor-server pki init`. Default: `pki/` beside the SQLite file, or /var/lib/debmonitor/pki.
   */
  PKI_DIR: v.optional(v.pipe(v.string(), v.minLength(1))),
  /**
   * Where `cve import` and the refresh in `serve` read the Debian security tracker's JSON: a URL, or
   * a file for sites without Internet access (docs/cve.md).
   */
  CVE_FEED_URL: v.optional(
    v.pipe(v.string(), v.minLength(1)),
    'https://security-tracker.debian.org/tracker/data/json',
  ),
  /**
   * `serve` re-imports the feed this often, in hours (0 = never; `cve import` from cron instead). Off
   * by default: a server should not start calling out to the Internet after an upgrade.
   */
  CVE_REFRESH_HOURS: v.optional(NonNegativeInt, 0),
  /**
   * Without a TLS block: `serve` makes the built-in CA in PKI_DIR if there is none and listens with
   * TLS for agents on port 8443 (README, "Quickstart"). Default: on when the server runs without a
   * configuration file on a SQLite file, off otherwise (production configurations are unchanged).
   */
  AUTO_TLS: v.optional(Flag),
  /** Native TLS with client certificates, for running without a reverse proxy. */
  TLS: v.optional(
    v.object({
      CERT: v.string(),
      KEY: v.string(),
      CA: v.string(),
      PORT: v.optional(v.pipe(NonNegativeInt, v.maxValue(65535)), DEFAULT_TLS_PORT),
    }),
  ),
});

export type ConfigInput = v.InferInput<typeof ConfigSchema>;
export type ParsedConfig = v.InferOutput<typeof ConfigSchema>;

/** The validated configuration, with the database location resolved. */
export type Config = Readonly<
  ParsedConfig & {
    databaseUrl: string;
    pkiDir: string;
    /** AUTO_TLS resolved: set it or not, and false whenever a TLS block is given. */
    autoTls: boolean;
  }
>;
