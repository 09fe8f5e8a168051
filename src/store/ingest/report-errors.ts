/** Report problems the sender must fix: the routes answer 400 with the message. */

/** A report that cannot be applied as sent; `detail` says what to fix. */
export class InvalidReportError extends Error {
  override name = 'InvalidReportError';
}

/** The report names an OS that does not exist and may not be created (docs/protocol.md, "Host reports"). */
export class InvalidOsNameError extends Error {
  override name = 'InvalidOsNameError';
  constructor(
    readonly osName: string,
    reason: string,
  ) {
    super(`OS name '${osName}' is not valid: ${reason}`);
  }
}

/**
 * A row this transaction inserted (or found being inserted by another) could not be read back; on
 * MariaDB a concurrent INSERT … ON DUPLICATE KEY UPDATE occasionally turns into a no-op. The whole
 * report is retried.
 */
export class TransientConflictError extends Error {
  override name = 'TransientConflictError';
}
