/** Random tokens, hashes and comparisons for cookies and CSRF; no app knowledge. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe token (base64url of `bytes` random bytes; 32 bytes = 256 bits). */
export function createToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A random token that is also safe as a command-line argument: never starting with `-`, which a
 * parser takes for an option (`--token -Xy…` failed for one enrollment token in 64). Drawn again in
 * that case, so each of the other 63 first characters stays equally likely.
 */
export function createArgumentToken(bytes = 32): string {
  for (;;) {
    const token = createToken(bytes);
    if (!token.startsWith('-')) return token;
  }
}

/** SHA-256 of a text, in lowercase hex (64 characters). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares two secrets in time that depends only on their length, not on where they differ. */
export function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** A random password of 16 URL-safe characters (96 bits), for accounts made by the server. */
export function createPassword(): string {
  return createArgumentToken(12);
}
