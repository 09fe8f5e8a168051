/** Which driver errors mean what, per database. */
export interface DriverErrors {
  /** True for errors that a retry of the whole transaction can fix (deadlock, lock timeout, busy). */
  isRetryable(error: unknown): boolean;
  /** True for a foreign-key failure (for example a row deleted by a concurrent GC). */
  isForeignKeyViolation(error: unknown): boolean;
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const record = error as { code?: unknown; cause?: unknown };
  if (typeof record.code === 'string') return record.code;
  if (record.cause) return errorCode(record.cause);
  return '';
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`;
}

export const sqliteErrors: DriverErrors = {
  isRetryable(error) {
    return errorCode(error).startsWith('SQLITE_BUSY') || /database is locked/.test(errorText(error));
  },
  isForeignKeyViolation(error) {
    return (
      errorCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY' || /FOREIGN KEY constraint/.test(errorText(error))
    );
  },
};

export const mysqlErrors: DriverErrors = {
  isRetryable(error) {
    const code = errorCode(error);
    return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
  },
  isForeignKeyViolation(error) {
    const code = errorCode(error);
    return code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_NO_REFERENCED_ROW';
  },
};
