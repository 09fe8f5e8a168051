/** The running kernel of a host report (docs/protocol.md, "What the agent sends"). */
import { release, version } from 'node:os';
import type { RunningKernel } from '../../protocol/report.ts';

/** Returns `uname -r` and `uname -v` of the running kernel. */
export function readRunningKernel(): Required<RunningKernel> {
  return { release: release(), version: version() };
}
