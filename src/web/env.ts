/** The Hono environment shared by every route and middleware. */
import type { Config } from '../config/schema.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../lib/logger.ts';

/** What the HTTP front end (Bun.serve or the native-TLS server) tells the app about a connection. */
export interface ConnectionInfo {
  /** The peer's IP address; `''` when unknown (for example in app.request() tests). */
  remoteAddress: string;
  /** Set by the native-TLS front end: the verified client certificate's subject, if any. */
  clientCertificate?: { verified: boolean; subjectDn: string; verifyError?: string };
}

/** What every request handler may use. */
export interface AppDeps {
  config: Config;
  database: Database;
  log: Logger;
}

export type AppEnv = {
  Bindings: ConnectionInfo;
  Variables: AppDeps;
};
