/**
 * Where the server looks for agent binaries: AGENTS_DIR when set (relative to the working directory),
 * else `agents/` beside the server binary. Running from source (`bun src/server.ts`), "the server
 * binary" is dist/debmonitor-server, so the default is the repository's dist/agents, where
 * `npm run build` puts them.
 */
import { dirname, join, resolve } from 'node:path';

/** True inside a `bun build --compile` executable, whose modules live in Bun's virtual /$bunfs. */
export function isCompiledBinary(): boolean {
  return Bun.main.startsWith('/$bunfs/') || import.meta.path.startsWith('/$bunfs/');
}

/** The absolute directory the /client route and the agent page read. */
export function resolveAgentsDir(configured: string | undefined): string {
  if (configured) return resolve(configured);
  if (isCompiledBinary()) return join(dirname(process.execPath), 'agents');
  return resolve(import.meta.dir, '../../../dist/agents');
}
