/**
 * The store of one open database: made once per database (by the server, the command line and
 * tests) and handed to the web layer through the app's context. It owns what lives as long as the
 * database is open: the report runner (a per-owner mutex and the catalog cache), the package-count
 * writer chosen for the database, and the read snapshots (the package index, the host upgrade
 * summary, the owner counts, the revoked serials).
 */
import type { Database } from '../db/open-database.ts';
import { createPackageCountWriter, type PackageCountWriter } from './counts/package-count-writer.ts';
import { createReportRunner, type ReportRunner } from './ingest/report-runner.ts';
import { createRevocationSnapshot, type RevocationSnapshot } from './pki/revocation-snapshot.ts';
import { createReadSnapshots, type ReadSnapshots } from './read/read-snapshots.ts';

export interface Store {
  readonly database: Database;
  readonly reports: ReportRunner;
  readonly counts: PackageCountWriter;
  readonly snapshots: ReadSnapshots;
  /** The revoked serials of the built-in CA, for the native TLS listener. */
  readonly revocations: RevocationSnapshot;
}

export function createStore(database: Database): Store {
  return {
    database,
    reports: createReportRunner(database),
    counts: createPackageCountWriter(database),
    snapshots: createReadSnapshots(database),
    revocations: createRevocationSnapshot(database),
  };
}
