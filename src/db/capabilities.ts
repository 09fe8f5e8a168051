/** What a database can do, and so how the store writes to it: read once, never branched on by name. */
export interface Capabilities {
  /**
   * True when write transactions never run concurrently (SQLite: one write lock for the database),
   * so that a row every writer updates (a package's count) is never waited for.
   */
  readonly serialWriters: boolean;
  /**
   * True when the planner answers `a = ? AND b = ?` from two single-key indexes by intersecting
   * them, without reading rows (MySQL's index merge); SQLite reads one index and then the rows.
   */
  readonly intersectsIndexes: boolean;
  /** Bound parameters allowed in one statement (SQLite 32766, MySQL 65535), with headroom. */
  readonly maxParameters: number;
  /**
   * True when the runner keeps prepared statements by SQL text (SQLite): raw statements then come
   * in a few shapes (IN lists padded to a power of two, batches of fixed sizes) so that a few
   * prepared statements serve every length.
   */
  readonly reusesStatements: boolean;
}

export const sqliteCapabilities: Capabilities = {
  serialWriters: true,
  intersectsIndexes: false,
  maxParameters: 32_000,
  reusesStatements: true,
};

export const mysqlCapabilities: Capabilities = {
  serialWriters: false,
  intersectsIndexes: true,
  maxParameters: 60_000,
  reusesStatements: false,
};
