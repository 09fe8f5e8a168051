/** The Hono environment shared by every route and middleware. */
import type { Config } from '../config/schema.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../lib/logger.ts';
import type { Store } from '../store/store.ts';
import type { CertificatePolicy } from './access/certificate.ts';
import type { ExpectedHosts } from './fleet/expected-hosts.ts';
import type { IngestMetrics } from './metrics/ingest-metrics.ts';
import type { AuthorityLoader } from './pki/authority-loader.ts';

/** What the HTTP front end (Bun.serve or the native-TLS server) tells the app about a connection. */
export interface ConnectionInfo {
  /** The peer's IP address; `''` when unknown. */
  remoteAddress: string;
  /** Set by the native-TLS front end: the client certificate as the TLS layer verified it. */
  clientCertificate?: { verified: boolean; subjectDn: string; verifyError?: string };
}

/** What every request handler may use. */
export interface AppDeps {
  config: Config;
  /** The store of the open database (one per database, shared by every app on it). */
  store: Store;
  log: Logger;
  /** Rows per page of an export (tests make it small; the default suits production). */
  exportPageRows?: number;
  /** The port the native TLS listener for agents listens on, once it does (the agent page's commands). */
  agentTlsPort?: () => number | undefined;
}

/** A host authenticated by its client certificate; the CN may be missing. */
export interface HostIdentity {
  commonName: string | null;
  subjectDn: string;
}

/** The signed-in person, as pages and the login requirement see them. */
export interface SessionUser {
  id: number;
  username: string;
  isSuperuser: boolean;
}

export type AppVariables = AppDeps & {
  /** The store's database, for the reads that need nothing else of the store. */
  database: Database;
  /** The expected-hosts file (EXPECTED_HOSTS_FILE), read when it changes. */
  expectedHosts: ExpectedHosts;
  /** Report counters and latencies of this app, for /metrics. */
  metrics: IngestMetrics;
  /** The fleet part of /metrics, cached (metrics/render-metrics.ts). */
  fleetMetrics: () => Promise<string>;
  /** Set by a report route once it has read the body: the report's update type. */
  reportType?: string;
  /** The client-certificate settings the access rules apply, built once per app. */
  certificatePolicy: CertificatePolicy;
  /** The built-in CA of PKI_DIR, for enrollment and renewal. */
  authority: AuthorityLoader;
  /** Set by an access rule whose certificate check passed; stands for sign-in too. */
  host?: HostIdentity;
  /** Set by the session middleware; null when nobody is signed in. */
  user?: SessionUser | null;
  /** The CSRF token forms of this session must carry. */
  csrfToken?: string;
  /** The posted form, once requireCheckedForm has read it and checked its CSRF token. */
  form?: Record<string, string | File | (string | File)[]>;
};

export type AppEnv = {
  Bindings: ConnectionInfo;
  Variables: AppVariables;
};
