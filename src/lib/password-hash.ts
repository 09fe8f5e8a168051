/** Password hashing with argon2id (Bun.password), and a decoy check that costs the same time. */

let decoyHash: Promise<string> | undefined;

/** argon2id's cost; unset means Bun's default (64 MiB, 2 passes). Only tests lower it. */
let testCost: { memoryCost: number; timeCost: number } | undefined;

/**
 * Tests only: new hashes (and the decoy) cost `memoryCost` KiB and `timeCost` passes, so that a test
 * that creates accounts or signs in does not spend most of its time in argon2id. The test preload
 * calls it (test/helpers/preload.ts, bunfig.toml's [test] section, which only `bun test` reads);
 * nothing in src/ does, no setting or environment variable reaches it, and it refuses to run outside
 * `bun test`. Hashes already made keep their own cost: verification reads it from the hash.
 */
export function lowerPasswordHashCostForTests(cost: { memoryCost: number; timeCost: number }): void {
  if (process.env.NODE_ENV !== 'test')
    throw new Error('lowerPasswordHashCostForTests: only under bun test (NODE_ENV=test)');
  testCost = cost;
  decoyHash = undefined;
}

/** Hashes a password with argon2id and Bun's default cost (64 MiB, 2 passes; lower in tests, above). */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id', ...testCost });
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
