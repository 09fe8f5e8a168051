/** What every step of applying a report works with, inside the report's transaction. */
import type { Database, Transaction } from '../../db/open-database.ts';
import type { PackageCountWriter } from '../counts/package-count-writer.ts';
import type { CatalogScope } from './catalog-cache.ts';

export interface IngestContext {
  /** The report's transaction: the query builder and raw SQL on its connection. */
  readonly tx: Transaction;
  /** The database's tables, spelling and capabilities. */
  readonly database: Database;
  /** Catalog ids (names, versions) known or learned; what this transaction learns is kept if it commits. */
  readonly cache: CatalogScope;
  /** How this database records count deltas. */
  readonly counts: PackageCountWriter;
  /** The report's time: every row it writes carries it. */
  readonly now: Date;
}
