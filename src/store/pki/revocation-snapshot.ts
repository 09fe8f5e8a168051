/**
 * The revoked serials as the native TLS listener checks them on every request: a set in memory,
 * read again from the database when it is older than `maxAgeMs`, so a `pki revoke` run on any
 * instance takes effect everywhere within that time.
 */
import type { Database } from '../../db/open-database.ts';
import { listRevokedCertificates } from './issued-certificates.ts';

/** How old the set may be: a revoked host keeps reporting for at most this long. */
export const REVOCATION_MAX_AGE_MS = 5_000;

export interface RevocationSnapshot {
  /** Whether the serial (normalized: lowercase hex without leading zeros) is revoked. */
  isRevoked(serial: string): Promise<boolean>;
}

export function createRevocationSnapshot(
  database: Database,
  maxAgeMs = REVOCATION_MAX_AGE_MS,
  onStale: (error: Error) => void = () => {},
): RevocationSnapshot {
  let serials: Set<string> | undefined;
  let loadedAt = 0;
  let loading: Promise<Set<string>> | undefined;

  const load = (): Promise<Set<string>> => {
    loading ??= listRevokedCertificates(database)
      .then((rows) => {
        serials = new Set(rows.map((row) => row.serial));
        loadedAt = Date.now();
        return serials;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  return {
    async isRevoked(serial) {
      if (serials && Date.now() - loadedAt < maxAgeMs) return serials.has(serial);
      try {
        return (await load()).has(serial);
      } catch (error) {
        // The database is away: the last list read is still the best answer; without one, fail.
        if (!serials) throw error;
        onStale(error as Error);
        return serials.has(serial);
      }
    },
  };
}
