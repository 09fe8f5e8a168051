/**
 * The two ways a run can fail, each with its exit code (docs/agent.md, "Exit codes and logs").
 * Only `run-cli.ts` turns them into output and an exit code.
 */

/** A usage or configuration error: the run stops before doing anything, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** A runtime failure the operator can act on (collection, feed, transport, server answer), exit 1. */
export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly exitCode = 1;
}
