/**
 * Where a server is reached: `HOST`, `HOST:PORT`, `[IPv6]:PORT`, a bare IPv6 literal or
 * `https://HOST[:PORT][/prefix]`. Legacy accepted only `HOST` with the shared `-p` port.
 */

/** A server's HTTPS base URL (no trailing slash) and a file-name-safe key for its spool folder. */
export interface ServerAddress {
  /** As the operator wrote it, for messages. */
  label: string;
  baseUrl: string;
  spoolKey: string;
}

/** Parses one server value; throws an Error whose message explains the accepted forms. */
export function parseServerAddress(server: string, defaultPort: number): ServerAddress {
  let host: string;
  let port = defaultPort;
  let prefix = '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(server)) {
    const url = new URL(server);
    if (url.protocol !== 'https:') {
      throw new Error(`server '${server}': only https:// is supported (reports travel over mutual TLS)`);
    }
    host = url.hostname;
    if (url.port !== '') port = Number(url.port);
    prefix = url.pathname.replace(/\/+$/, '');
  } else {
    const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(server);
    const hostPort = /^([^:/\s]+):(\d+)$/.exec(server);
    if (bracketed) {
      host = `[${bracketed[1]}]`;
      if (bracketed[2]) port = Number(bracketed[2]);
    } else if (server.split(':').length > 2 && /^[0-9a-fA-F:.]+$/.test(server)) {
      host = `[${server}]`; // a bare IPv6 literal: brackets make it a valid URL host
    } else if (hostPort) {
      host = hostPort[1]!;
      port = Number(hostPort[2]);
    } else if (/^[^:/\s?#@]+$/.test(server)) {
      host = server;
    } else {
      throw new Error(`server '${server}' is not HOST, HOST:PORT or https://HOST[:PORT]`);
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`server '${server}': port ${port} is out of range 1-65535`);
  }
  // Legacy always writes the port into the URL; keep it so logs show exactly what was contacted.
  const baseUrl = `https://${host}:${port}${prefix}`;
  return { label: server, baseUrl, spoolKey: `${host}_${port}${prefix}`.replace(/[^A-Za-z0-9._-]/g, '_') };
}

/**
 * The path of a report's endpoint: host and image names go in unencoded (image names hold `/` and `:`,
 * and the server routes them as paths), except characters that cannot appear in a URL path.
 */
export function formatReportPath(kind: 'hosts' | 'images', name: string): string {
  return `/${kind}/${encodeURI(name).replace(/[?#]/g, (char) => encodeURIComponent(char))}/update`;
}
