/** Password hashing with argon2id (Bun.password), and a decoy check that costs the same time. */

let decoyHash: Promise<string> | undefined;

/** Hashes a password with argon2id and Bun's default cost (64 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id' });
}

/** True when `password` matches `hash`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash);
  } catch {
    return false;
  }
}

/**
 * Spends the time of a real check and answers false: used for unknown accounts, so that the time a
 * sign-in takes does not tell whether a user name exists.
 */
export async function verifyDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await decoyHash);
  return false;
}
