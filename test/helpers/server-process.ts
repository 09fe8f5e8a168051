/** Starts `src/server.ts serve` as a real process on a free loopback port, for HTTP tests. */
import { resolve } from 'node:path';

const ENTRY = resolve(import.meta.dir, '../../src/server.ts');

export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number>;
}

export interface ServerProcessOptions {
  cwd: string;
  /** Extra arguments after `serve`. */
  args: string[];
  env?: Record<string, string>;
  /** The server binary to run instead of `bun src/server.ts` (compiled-binary tests). */
  command?: string[];
}

/** Starts the server and resolves once it logs its listening URL. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const command = options.command ?? [process.execPath, ENTRY];
  const child = Bun.spawn([...command, 'serve', '--port', '0', ...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  const decoder = new TextDecoder();
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    void (async () => {
      for await (const chunk of child.stderr as unknown as AsyncIterable<Uint8Array>) {
        output += decoder.decode(chunk);
        const match = /listening on (http\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      }
      clearTimeout(timer);
      reject(new Error(`server exited:\n${output}`));
    })();
  });
  return {
    url,
    pid: child.pid,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return child.exited;
    },
  };
}
