/**
 * `debmonitor --update` (docs/protocol.md, "Agent downloads"): after a full report, ask the server which
 * agent it offers with one HEAD request; when that is newer (or is the pinned version), download it to a
 * temporary file beside the running executable while hashing it, verify the SHA-256 the server announced,
 * check that it is an ELF executable for this machine that answers the agent's self-test for that
 * version, and rename it over the running binary with the same mode and owner. Any failure is logged and
 * the old binary stays; runSelfUpdate never throws, so an update can never change the report's exit code.
 * Never call it from the `-u` or `-g` hook modes.
 */
import { open, realpath } from 'node:fs/promises';
import { decideUpdate } from '../domain/update-decision.ts';
import { type AgentArch, getCurrentAgentArch } from '../lib/agent-arch.ts';
import { isCompiledBinary } from '../lib/compiled-binary.ts';
import type { Logger } from '../lib/logger.ts';
import { CLIENT_CHECKSUM_HEADER, CLIENT_VERSION_HEADER } from '../protocol/client-download.ts';
import {
  checkNewExecutable,
  getTemporaryPath,
  removeQuietly,
  replaceExecutable,
} from './self-update-install.ts';

/** TLS settings for the requests, as Bun's fetch takes them (client certificate, key, CA bundle). */
export type SelfUpdateTls = BunFetchRequestInit['tls'];

export interface SelfUpdateOptions {
  /** The server's base URL, e.g. `https://debmonitor.example.org` (the agent's first server). */
  serverUrl: string;
  /** The running agent's version (VERSION from src/lib/version.ts). */
  currentVersion: string;
  /** The running executable (process.execPath); symbolic links are followed to the real file. */
  executablePath: string;
  /** The build to ask for; defaults to the one this binary was built for. */
  arch?: AgentArch;
  /** Install exactly this version, even an older one (`--force-version`). */
  forceVersion?: string;
  tls?: SelfUpdateTls;
  log: Logger;
  /** Replaces fetch (tests). */
  fetchImpl?: typeof fetch;
  /**
   * Whether the executable is a standalone build; defaults to detecting it. Replacing the Bun
   * runtime that runs `bun src/agent.ts` would be a disaster, so a run from source never updates.
   */
  standalone?: boolean;
  /** Limit for the HEAD request, in milliseconds (default 10 s). */
  checkTimeoutMs?: number;
  /** Limit for the download, in milliseconds (default 10 min). */
  downloadTimeoutMs?: number;
}

/** What happened; `failed` means the old binary is still in place. */
export type UpdateOutcome =
  | { status: 'up-to-date'; version: string }
  | { status: 'skipped'; reason: string; offeredVersion?: string }
  | { status: 'updated'; from: string; to: string }
  | { status: 'failed'; reason: string };

/** Checks for a newer agent and installs it; logs and returns the outcome, never throws. */
export async function runSelfUpdate(options: SelfUpdateOptions): Promise<UpdateOutcome> {
  const { log } = options;
  try {
    const outcome = await updateOrExplain(options);
    if (outcome.status === 'failed') log.error(`Unable to self-update this agent: ${outcome.reason}`);
    return outcome;
  } catch (error) {
    const reason = (error as Error).message;
    log.error(`Unable to self-update this agent: ${reason}`);
    return { status: 'failed', reason };
  }
}

async function updateOrExplain(options: SelfUpdateOptions): Promise<UpdateOutcome> {
  const { log, currentVersion } = options;
  if (!(options.standalone ?? isCompiledBinary())) {
    const reason = 'not running as a standalone binary (run from source); nothing to replace';
    log.info(`Self-update skipped: ${reason}`);
    return { status: 'skipped', reason };
  }
  const doFetch = options.fetchImpl ?? fetch;
  const url = getClientUrl(options.serverUrl, options.arch ?? getCurrentAgentArch(), options.forceVersion);

  const head = await doFetch(url, {
    method: 'HEAD',
    tls: options.tls,
    signal: AbortSignal.timeout(options.checkTimeoutMs ?? 10_000),
  } as BunFetchRequestInit);
  if (head.status !== 200) {
    return fail(
      `unable to check the server's agent version at ${url}: got HTTP ${head.status}, expected 200 OK`,
    );
  }
  const offered = head.headers.get(CLIENT_VERSION_HEADER);
  if (!offered)
    return fail(`no ${CLIENT_VERSION_HEADER} header from ${url}, cannot tell the server's version`);

  const decision = decideUpdate(currentVersion, offered, options.forceVersion);
  if (decision.action === 'refuse') return fail(decision.reason);
  if (decision.action === 'keep') {
    if (decision.reason === 'same-version') {
      log.debug(`The server offers agent ${offered}, the running version: no update needed`);
      return { status: 'up-to-date', version: currentVersion };
    }
    const reason =
      decision.reason === 'older-offered'
        ? `the server offers ${offered}, older than the running ${currentVersion}; not downgrading`
        : `the server offers ${offered}, not the pinned ${options.forceVersion}`;
    log.info(`Self-update skipped: ${reason}`);
    return { status: 'skipped', reason, offeredVersion: offered };
  }
  log.info(
    `Found ${decision.downgrade ? 'pinned' : 'new'} remote version ${offered}, current version is ${currentVersion}. Updating.`,
  );
  const target = await realpath(options.executablePath);
  const temporary = getTemporaryPath(target);
  try {
    const failure = await downloadTo(doFetch, url, temporary, offered, options);
    if (failure) return fail(failure);
    await checkNewExecutable(temporary, offered);
    await replaceExecutable(temporary, target);
  } finally {
    await removeQuietly(temporary);
  }
  log.info(`Successfully self-updated the DebMonitor agent to version ${offered} (${target})`);
  return { status: 'updated', from: currentVersion, to: offered };
}

/** Streams the download into `path` while hashing it; returns why it failed, or null. */
async function downloadTo(
  doFetch: typeof fetch,
  url: string,
  path: string,
  expectedVersion: string,
  options: SelfUpdateOptions,
): Promise<string | null> {
  const response = await doFetch(url, {
    tls: options.tls,
    signal: AbortSignal.timeout(options.downloadTimeoutMs ?? 600_000),
  } as BunFetchRequestInit);
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    return `unable to download the agent from ${url}: got HTTP ${response.status}, expected 200 OK`;
  }
  const version = response.headers.get(CLIENT_VERSION_HEADER);
  const announced = response.headers.get(CLIENT_CHECKSUM_HEADER)?.trim().toLowerCase() ?? '';
  if (version !== expectedVersion) {
    await response.body.cancel();
    return `the server's agent changed during the update (${expectedVersion}, then ${version})`;
  }
  if (!/^[0-9a-f]{64}$/.test(announced)) {
    await response.body.cancel();
    return `no valid ${CLIENT_CHECKSUM_HEADER} header (SHA-256 hex) in the download from ${url}`;
  }
  const hasher = new Bun.CryptoHasher('sha256');
  // 0o700 until the checks pass: nobody else may run a half-verified binary.
  const file = await open(path, 'wx', 0o700);
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
      await file.write(value);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  const computed = hasher.digest('hex');
  if (computed !== announced) {
    return `the checksum of the downloaded agent does not match the HTTP header: ${computed} != ${announced}`;
  }
  return null;
}

/**
 * `<server>/client/<arch>`, the download URL of the agent for `arch`; with a pinned version,
 * `?version=` asks for that build
 * (a server that keeps older builds serves it; an older server ignores the query and offers its
 * current one, which the pin then refuses).
 */
export function getClientUrl(serverUrl: string, arch: AgentArch, version?: string): string {
  const url = `${serverUrl.replace(/\/+$/, '')}/client/${arch}`;
  return version === undefined ? url : `${url}?version=${encodeURIComponent(version)}`;
}

function fail(reason: string): UpdateOutcome {
  return { status: 'failed', reason };
}
