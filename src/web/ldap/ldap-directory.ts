/**
 * Asks the LDAP directory who someone is, through `ldapts`: bind as the service account, find the
 * user with a one-level search under USER_SEARCH.SEARCH, bind as the user with the password given,
 * bind back as the service account and read the user's groups. One connection per sign-in: sign-ins
 * are rare, and a held connection would need keep-alives and reconnects for nothing.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import {
  Client,
  InvalidCredentialsError,
  NoSuchObjectError,
  ResultCodeError,
  type SearchOptions,
} from 'ldapts';
import { escapeFilterValue, normalizeDn } from '../../lib/ldap-text.ts';
import type { LdapSettings } from './ldap-settings.ts';

/** Waits on a server that does not answer; long enough for a slow directory, short for a person. */
const CONNECT_TIMEOUT_MS = 5_000;
const OPERATION_TIMEOUT_MS = 10_000;

export type DirectoryAnswer =
  /** The password is right. `name` is the account name; `groups` the user's groups of interest. */
  | { outcome: 'ok'; dn: string; name: string; groups: ReadonlySet<string> }
  /** No such user, several, or a wrong password: `reason` is for the log, never for the page. */
  | { outcome: 'refused'; reason: string }
  /** Nothing was checked: no server answered, or the service account was refused. */
  | { outcome: 'unavailable'; reason: string };

/** What the directory says of a signed-in user now, read with the service account (no password). */
export type DirectoryLookup =
  | { outcome: 'ok'; groups: ReadonlySet<string> }
  /** No entry (or several) has this account name any more. */
  | { outcome: 'missing' }
  | { outcome: 'unavailable'; reason: string };

export interface Directory {
  authenticate(username: string, password: string): Promise<DirectoryAnswer>;
  /** The groups of the user whose account name is `name` (the attribute USER_ATTR_MAP.username maps, or USER_FIELD). */
  lookUp(name: string): Promise<DirectoryLookup>;
}

/** Thrown inside this module for what makes the directory unusable rather than the user wrong. */
class Unavailable extends Error {}

/** Creates the client; `now` is for the group cache's clock in tests. */
export function createLdapDirectory(settings: LdapSettings, now: () => number = Date.now): Directory {
  const groupCache = new Map<string, { groups: ReadonlySet<string>; until: number }>();

  /** A connection to the first server that answers, bound as the service account. */
  async function connect(): Promise<Client> {
    const failures: string[] = [];
    for (const url of settings.uris) {
      const client = new Client({
        url,
        connectTimeout: CONNECT_TIMEOUT_MS,
        timeout: OPERATION_TIMEOUT_MS,
        // The package speaks TLS from the start whenever it has TLS options, even for ldap://.
        ...(url.toLowerCase().startsWith('ldaps:') ? { tlsOptions: { ...settings.tls } } : {}),
      });
      try {
        if (settings.startTls) await client.startTLS(startTlsOptions(url, settings.tls));
        await bindService(client);
        return client;
      } catch (error) {
        await close(client);
        // A refused service account is the same on every server of the list.
        if (error instanceof Unavailable) throw error;
        failures.push(`${url}: ${describe(error)}`);
      }
    }
    throw new Unavailable(`no LDAP server could be used (${failures.join('; ')})`);
  }

  async function bindService(client: Client): Promise<void> {
    try {
      await client.bind(settings.bindDn, settings.bindDn ? settings.bindPassword : '');
    } catch (error) {
      if (error instanceof ResultCodeError) {
        throw new Unavailable(`the LDAP server refused LDAP.BIND_DN ${settings.bindDn}: ${describe(error)}`);
      }
      throw error;
    }
  }

  async function findUser(client: Client, username: string) {
    const attributes = [
      settings.userField,
      ...(settings.usernameAttribute ? [settings.usernameAttribute] : []),
    ];
    const { searchEntries } = await searchBelow(client, 'USER_SEARCH.SEARCH', settings.userBase, {
      scope: 'one',
      filter: `(${settings.userField}=${escapeFilterValue(username)})`,
      attributes,
    });
    return searchEntries;
  }

  /** The user's groups among those that matter, from the cache while it is fresh. */
  async function groupsOf(client: Client, dn: string): Promise<ReadonlySet<string>> {
    const key = normalizeDn(dn);
    const cached = groupCache.get(key);
    if (cached && cached.until > now()) return cached.groups;
    const groups = settings.groupBase
      ? await searchGroups(client, dn, settings.groupBase)
      : await compareGroups(client, dn);
    if (settings.groupCacheMs > 0) groupCache.set(key, { groups, until: now() + settings.groupCacheMs });
    return groups;
  }

  async function searchGroups(client: Client, dn: string, base: string): Promise<Set<string>> {
    const { searchEntries } = await searchBelow(client, 'GROUP_SEARCH', base, {
      scope: 'sub',
      filter: `(&(objectClass=groupOfNames)(member=${escapeFilterValue(dn)}))`,
      attributes: ['1.1'],
    });
    return new Set(searchEntries.map((entry) => normalizeDn(entry.dn)));
  }

  /** Without GROUP_SEARCH, as django-auth-ldap does: one compare of `member` per group. */
  async function compareGroups(client: Client, dn: string): Promise<Set<string>> {
    const groups = new Set<string>();
    for (const group of settings.groupsOfInterest) {
      try {
        if (await client.compare(group, 'member', dn)) groups.add(group);
      } catch (error) {
        if (!(error instanceof NoSuchObjectError)) throw error;
      }
    }
    return groups;
  }

  async function lookUp(client: Client, name: string): Promise<DirectoryLookup> {
    const attribute = settings.usernameAttribute ?? settings.userField;
    const { searchEntries } = await searchBelow(client, 'USER_SEARCH.SEARCH', settings.userBase, {
      scope: 'one',
      filter: `(${attribute}=${escapeFilterValue(name)})`,
      attributes: ['1.1'],
    });
    const [entry] = searchEntries;
    if (!entry || searchEntries.length > 1) return { outcome: 'missing' };
    return { outcome: 'ok', groups: await groupsOf(client, entry.dn) };
  }

  async function authenticate(client: Client, username: string, password: string): Promise<DirectoryAnswer> {
    const entries = await findUser(client, username);
    const [entry] = entries;
    if (!entry) return { outcome: 'refused', reason: 'no such LDAP user' };
    if (entries.length > 1) return { outcome: 'refused', reason: `${entries.length} LDAP entries match` };
    try {
      await client.bind(entry.dn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return { outcome: 'refused', reason: 'wrong password' };
      if (error instanceof ResultCodeError)
        return { outcome: 'refused', reason: `the bind as ${entry.dn} failed: ${describe(error)}` };
      throw error;
    }
    await bindService(client);
    const name = firstValue(entry[settings.usernameAttribute ?? settings.userField], username);
    if (!name) {
      return {
        outcome: 'refused',
        reason: `${entry.dn} has no ${settings.usernameAttribute ?? settings.userField}`,
      };
    }
    return { outcome: 'ok', dn: entry.dn, name, groups: await groupsOf(client, entry.dn) };
  }

  return {
    async authenticate(username, password) {
      // An empty password makes a simple bind "unauthenticated" (RFC 4513), which servers accept.
      if (!username || !password) return { outcome: 'refused', reason: 'empty username or password' };
      let client: Client | undefined;
      try {
        client = await connect();
        return await authenticate(client, username, password);
      } catch (error) {
        return { outcome: 'unavailable', reason: describe(error) };
      } finally {
        if (client) await close(client);
      }
    },
    async lookUp(name) {
      let client: Client | undefined;
      try {
        client = await connect();
        return await lookUp(client, name);
      } catch (error) {
        return { outcome: 'unavailable', reason: describe(error) };
      } finally {
        if (client) await close(client);
      }
    },
  };
}

/**
 * An attribute's value as the account name: the value equal to what was typed, ignoring case (a
 * multi-valued `uid` lists aliases), else the first.
 */
function firstValue(value: unknown, typed: string): string {
  const values = (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string',
  );
  return values.find((item) => item.toLowerCase() === typed.toLowerCase()) ?? values[0] ?? '';
}

/**
 * The TLS options of a StartTLS upgrade: the package upgrades its socket without the server's
 * name, which the certificate must then be checked against. A new object each time, since the
 * package stores the socket in it.
 */
function startTlsOptions(url: string, tls: ConnectionOptions): ConnectionOptions {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  return { ...tls, host, ...(isIP(host) ? {} : { servername: host }) };
}

/** A search whose base must exist: a missing (or hidden) base is the configuration's fault. */
async function searchBelow(client: Client, key: string, base: string, options: SearchOptions) {
  try {
    return await client.search(base, options);
  } catch (error) {
    if (error instanceof NoSuchObjectError) {
      throw new Unavailable(`LDAP.${key} ${base} does not exist, or LDAP.BIND_DN may not read it`);
    }
    throw error;
  }
}

async function close(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // The connection is gone already; nothing to release.
  }
}

/** One line about a failure, with the system code (ECONNREFUSED…) when there is one. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message.split('\n')[0] || error.name;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
