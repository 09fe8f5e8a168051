/**
 * `debmonitor --self-test <nonce>`, a hidden mode the updater runs on a downloaded binary before it
 * replaces the running one. The answer hashes the caller's random nonce with the binary's version
 * marker, so only a working agent build of the announced version can give it: a script that prints
 * fixed text, another program or a broken build cannot.
 */
import { randomBytes } from 'node:crypto';
import { VERSION_MARKER_PREFIX } from '../lib/version.ts';

/** The hidden command-line flag; it must come first and be followed by the nonce alone. */
export const SELF_TEST_FLAG = '--self-test';

/** A fresh nonce: 32 lowercase hex digits. */
export function createSelfTestNonce(): string {
  return randomBytes(16).toString('hex');
}

/** True for a nonce the self-test accepts: 16 to 128 lowercase hex digits. */
export function isSelfTestNonce(text: string): boolean {
  return /^[0-9a-f]{16,128}$/.test(text);
}

/** The line an agent of `version` prints for `nonce`: `debmonitor-self-test <version> <sha256>`. */
export function getSelfTestAnswer(nonce: string, version: string): string {
  const digest = new Bun.CryptoHasher('sha256')
    .update(`debmonitor-self-test\n${nonce}\n${VERSION_MARKER_PREFIX}${version}`)
    .digest('hex');
  return `debmonitor-self-test ${version} ${digest}`;
}
