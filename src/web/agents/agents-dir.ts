/**
 * Where the server looks for agent binaries: AGENTS_DIR when set (relative to the working directory),
 * else `agents/` beside the server binary. Running from source (`bun src/server.ts`), "the server
 * binary" is dist/debmonitor-server, so the default is the repository's dist/agents, where
 * `npm run build` puts them.
 */
import { dirname, join, resolve } from 'node:path';
import { isCompiledBinary } from '../../lib/compiled-binary.ts';

/** The absolute directory the /client route and the agent page read. */
export function resolveAgentsDir(configured: string | undefined): string {
  if (configured) return resolve(configured);
  if (isCompiledBinary()) return join(dirname(process.execPath), 'agents');
  return resolve(import.meta.dir, '../../../dist/agents');
}
