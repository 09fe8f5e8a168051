/**
 * A failure the operator caused and can fix (a misspelled flag, a missing file, a busy port): the
 * command line prints its message alone, as one line without a stack, and exits with `exitCode`.
 */
export class OperatorError extends Error {
  override name = 'OperatorError';
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}
