/**
 * The host name of a host report (docs/protocol.md, "What the agent sends"). It must equal the CN of the
 * client certificate, so it follows Python's `socket.getfqdn()`: resolve the host name, then take the
 * name its address resolves back to (through NSS, so /etc/hosts counts), if that one is fully qualified.
 */
import { lookup, lookupService } from 'node:dns/promises';
import { hostname } from 'node:os';

/** How long name resolution may take before the plain host name is used. */
const RESOLVE_TIMEOUT_MS = 3000;

/** Resolves the fully qualified name of this host; never throws (falls back to the host name). */
export async function resolveFqdn(name: string = hostname()): Promise<string> {
  const resolved = await withTimeout(reverseResolve(name), RESOLVE_TIMEOUT_MS).catch(() => undefined);
  if (resolved?.includes('.')) return resolved;
  // getfqdn would return a bare reverse name such as `localhost`; the configured name is more useful.
  return name;
}

/** Forward-resolves `name`, then reverse-resolves its first address. */
async function reverseResolve(name: string): Promise<string> {
  const { address } = await lookup(name);
  const { hostname: reverse } = await lookupService(address, 0);
  return reverse;
}

/** Rejects when `promise` takes longer than `ms`, so a dead resolver cannot hold apt. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
