/**
 * The owners' pairs' version index (`host_cve_pairs_version_idx`, `image_cve_pairs_version_idx`,
 * src/db/schema/): dropped while the first import gives most owners their pairs, built whole after,
 * and built again wherever a crash left it missing (docs/cve.md, "What an import costs", step 4).
 */
import type { Database } from './database.ts';
import { sqlNames } from './sql-names.ts';

/** The owners whose pairs have the index. */
export type PairOwnerKind = 'host' | 'image';

const KINDS = ['host', 'image'] as const;

/** The index's name and columns, as the schema declares them (src/db/schema/{sqlite,mysql}.ts). */
function versionIndex(
  database: Database,
  kind: PairOwnerKind,
): { name: string; table: string; columns: string } {
  const p = sqlNames(kind === 'host' ? database.tables.hostCvePairs : database.tables.imageCvePairs);
  const owner =
    kind === 'host'
      ? sqlNames(database.tables.hostCvePairs).hostId
      : sqlNames(database.tables.imageCvePairs).imageId;
  return {
    name: `${kind}_cve_pairs_version_idx`,
    table: p.$table,
    // Spelled as drizzle-kit's migration spells it, so that SQLite keeps the same statement.
    columns: [p.codename, p.source, p.version, owner].map((column) => `\`${column}\``).join(','),
  };
}

/** Whether the kind's version index exists. */
export async function hasVersionIndex(database: Database, kind: PairOwnerKind): Promise<boolean> {
  const { name, table } = versionIndex(database, kind);
  const rows =
    database.kind === 'sqlite'
      ? await database.sql.select<{ n: number }>(
          `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?`,
          [name, table],
        )
      : await database.sql.select<{ n: number }>(
          `SELECT COUNT(*) AS n FROM information_schema.statistics
           WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?`,
          [table, name],
        );
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Drops the kind's version index. On SQLite in a transaction of its own; MySQL commits DDL at once
 * (an online change: reports keep writing pairs).
 */
export async function dropVersionIndex(database: Database, kind: PairOwnerKind): Promise<void> {
  const { name, table } = versionIndex(database, kind);
  const text =
    database.kind === 'sqlite' ? `DROP INDEX IF EXISTS ${name}` : `DROP INDEX IF EXISTS ${name} ON ${table}`;
  await database.transaction((tx) => tx.sql.run(text));
}

/**
 * Builds the kind's version index if it is missing: after a bulk insert, or at start-up and before
 * an import when a crash left it dropped. SQLite holds the writer while it builds (1–2 s per
 * million pairs); MySQL builds it online. Returns whether it built it.
 */
export async function ensureVersionIndex(database: Database, kind: PairOwnerKind): Promise<boolean> {
  if (await hasVersionIndex(database, kind)) return false;
  const { name, table, columns } = versionIndex(database, kind);
  await database.transaction((tx) =>
    tx.sql.run(`CREATE INDEX IF NOT EXISTS \`${name}\` ON \`${table}\` (${columns})`),
  );
  return true;
}

/** Builds whichever version index is missing (migrate() calls it at start-up). */
export async function ensureVersionIndexes(database: Database): Promise<string[]> {
  const built: string[] = [];
  for (const kind of KINDS)
    if (await ensureVersionIndex(database, kind)) built.push(`${kind}_cve_pairs_version_idx`);
  return built;
}
