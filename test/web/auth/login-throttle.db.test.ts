/**
 * The sign-in limits under parallel guesses, and who gets past a locked account, on both dialects.
 * Attempts go straight to signInLocally, half of them through a second connection (a second server
 * instance on the same database).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, setDefaultTimeout, spyOn, test } from 'bun:test';
import { type Database, openDatabase } from '../../../src/db/open-database.ts';
import { hashPassword } from '../../../src/lib/password-hash.ts';
import { findUserByName, setUserPassword, type UserRecord } from '../../../src/store/accounts/users.ts';
import { createDeviceToken } from '../../../src/web/auth/device-cookie.ts';
import { type LocalSignIn, signInLocally } from '../../../src/web/auth/local-sign-in.ts';
import {
  ACCOUNT_FAILURE_LIMIT,
  ADDRESS_FAILURE_LIMIT,
  DEVICE_FAILURE_LIMIT,
} from '../../../src/web/auth/login-throttle.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import { addUser } from '../../helpers/sign-in.ts';

// Argon2id hashing and MariaDB are slow on a loaded machine; Bun ignores bunfig's timeout.
setDefaultTimeout(60_000);

const PASSWORD = 'correct horse battery';
const PARALLEL_GUESSES = 60;
const STRANGER = '203.0.113.7';
const OWNER = '198.51.100.20';

/** How many attempts ended in each outcome. */
function tally(results: LocalSignIn[]): Record<LocalSignIn['outcome'], number> {
  const counts = { ok: 0, refused: 0, throttled: 0 };
  for (const result of results) counts[result.outcome] += 1;
  return counts;
}

for (const kind of DIALECTS) {
  describe(`sign-in limits (${kind})`, () => {
    let t: TestDatabase;
    let other: Database;
    let alice: UserRecord;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      other = await openDatabase(t.url);
      await addUser(t.database, 'alice', PASSWORD);
      await addUser(t.database, 'bob', PASSWORD);
      alice = (await findUserByName(t.database, 'alice')) as UserRecord;
    });
    afterAll(async () => {
      await other?.close();
      await t?.drop();
    });
    beforeEach(async () => {
      await t.database.transaction(async (tx) => {
        await tx.db.delete(t.database.tables.loginFailures);
      });
    });

    /** Password checks (real or decoy) made while `work` runs. */
    async function countChecks(work: () => Promise<unknown>): Promise<number> {
      const verify = spyOn(Bun.password, 'verify');
      try {
        await work();
        return verify.mock.calls.length;
      } finally {
        verify.mockRestore();
      }
    }

    /** Runs the attempts all at once, alternating between the two instances. */
    function inParallel(
      attempts: { username: string; password: string; address: string; device?: string }[],
    ): Promise<LocalSignIn[]> {
      return Promise.all(
        attempts.map((attempt, index) =>
          signInLocally(
            index % 2 === 0 ? t.database : other,
            attempt.username,
            attempt.password,
            attempt.address,
            attempt.device,
          ),
        ),
      );
    }

    /** Wrong passwords from `address` for `count` different accounts (not over any account's limit). */
    async function spray(address: string, count: number): Promise<void> {
      for (let n = 0; n < count; n += 1) await signInLocally(t.database, `user${n}`, 'guess', address);
    }

    async function remainingFailures(subject: string): Promise<number> {
      const rows = await t.database.db.select().from(t.database.tables.loginFailures);
      return rows.filter((row) => row.subject === subject).length;
    }

    describe('parallel guesses are checked at most up to the limit', () => {
      test(`${PARALLEL_GUESSES} wrong passwords for one account from one address`, async () => {
        let results: LocalSignIn[] = [];
        const checks = await countChecks(async () => {
          results = await inParallel(
            Array.from({ length: PARALLEL_GUESSES }, (_, n) => ({
              username: 'alice',
              password: `guess ${n}`,
              address: STRANGER,
            })),
          );
        });
        const outcomes = tally(results);
        expect(outcomes.ok).toBe(0);
        expect(outcomes.refused).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
        expect(outcomes.refused + outcomes.throttled).toBe(PARALLEL_GUESSES);
        expect(checks).toBe(outcomes.refused);
        // Throttled attempts took their rows back: only the checked guesses count.
        expect(await remainingFailures('user:alice')).toBe(outcomes.refused);
      });

      test(`${PARALLEL_GUESSES} wrong passwords for one account from ${PARALLEL_GUESSES / 5} addresses`, async () => {
        let results: LocalSignIn[] = [];
        const checks = await countChecks(async () => {
          results = await inParallel(
            Array.from({ length: PARALLEL_GUESSES }, (_, n) => ({
              username: 'alice',
              password: `guess ${n}`,
              address: `192.0.2.${n % (PARALLEL_GUESSES / 5)}`,
            })),
          );
        });
        const outcomes = tally(results);
        expect(outcomes.refused).toBeLessThanOrEqual(ACCOUNT_FAILURE_LIMIT);
        expect(outcomes.refused + outcomes.throttled).toBe(PARALLEL_GUESSES);
        expect(checks).toBe(outcomes.refused);
      });

      test(`${PARALLEL_GUESSES} wrong passwords for as many accounts from one address`, async () => {
        let results: LocalSignIn[] = [];
        const checks = await countChecks(async () => {
          results = await inParallel(
            Array.from({ length: PARALLEL_GUESSES }, (_, n) => ({
              username: `user${n}`,
              password: 'guess',
              address: STRANGER,
            })),
          );
        });
        const outcomes = tally(results);
        expect(outcomes.refused).toBeLessThanOrEqual(ADDRESS_FAILURE_LIMIT);
        expect(outcomes.refused + outcomes.throttled).toBe(PARALLEL_GUESSES);
        expect(checks).toBe(outcomes.refused);
      });

      test('a guess after the limit is throttled without a password check', async () => {
        for (let n = 0; n < ACCOUNT_FAILURE_LIMIT; n += 1) {
          expect((await signInLocally(t.database, 'alice', `guess ${n}`, STRANGER)).outcome).toBe('refused');
        }
        const checks = await countChecks(async () => {
          expect((await signInLocally(other, 'alice', PASSWORD, STRANGER)).outcome).toBe('throttled');
        });
        expect(checks).toBe(0);
      });
    });

    describe('a stranger cannot lock the owner out', () => {
      /** The stranger's failures from STRANGER, more than the account allows. */
      async function strangerGuesses(count = ACCOUNT_FAILURE_LIMIT + 3): Promise<void> {
        for (let n = 0; n < count; n += 1) await signInLocally(t.database, 'alice', `guess ${n}`, STRANGER);
      }

      test("the owner's browser (device cookie) signs in from an address without failures", async () => {
        const device = createDeviceToken(alice) ?? '';
        await strangerGuesses();
        const result = await signInLocally(other, 'alice', PASSWORD, OWNER, device);
        expect(result.outcome).toBe('ok');
      });

      test("the owner's browser signs in even when the stranger uses many addresses", async () => {
        const device = createDeviceToken(alice) ?? '';
        await inParallel(
          Array.from({ length: PARALLEL_GUESSES }, (_, n) => ({
            username: 'alice',
            password: `guess ${n}`,
            address: `192.0.2.${n}`,
          })),
        );
        expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER, device)).outcome).toBe('ok');
      });

      test('a new browser is throttled while the account is locked, whatever its address', async () => {
        await strangerGuesses();
        expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER)).outcome).toBe('throttled');
      });

      test("the stranger's address stays throttled, even with the right password", async () => {
        await strangerGuesses();
        expect((await signInLocally(t.database, 'alice', PASSWORD, STRANGER)).outcome).toBe('throttled');
        // Over the address limit, not even a device cookie helps.
        await spray(STRANGER, ADDRESS_FAILURE_LIMIT);
        const device = createDeviceToken(alice) ?? '';
        expect((await signInLocally(t.database, 'alice', PASSWORD, STRANGER, device)).outcome).toBe(
          'throttled',
        );
        // The owner elsewhere is not affected.
        expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER, device)).outcome).toBe('ok');
      });

      test('a device cookie of another account, a forged one or one older than the password does not help', async () => {
        const bob = (await findUserByName(t.database, 'bob')) as UserRecord;
        const forged = `${alice.id}.${Date.now()}.${'A'.repeat(43)}`;
        const bobs = createDeviceToken(bob) ?? '';
        await strangerGuesses();
        for (const device of [forged, bobs]) {
          expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER, device)).outcome).toBe(
            'throttled',
          );
        }
        const carol = await addUser(t.database, `carol-${kind}`, PASSWORD);
        const before = createDeviceToken((await findUserByName(t.database, `carol-${kind}`)) as UserRecord);
        await setUserPassword(t.database, carol, await hashPassword('another good passphrase'));
        for (let n = 0; n < ACCOUNT_FAILURE_LIMIT; n += 1)
          await signInLocally(t.database, `carol-${kind}`, `guess ${n}`, STRANGER);
        const result = await signInLocally(
          t.database,
          `carol-${kind}`,
          'another good passphrase',
          OWNER,
          before ?? '',
        );
        expect(result.outcome).toBe('throttled');
      });

      test('a device cookie has its own limit, and a success clears it', async () => {
        const device = createDeviceToken(alice) ?? '';
        for (let n = 0; n < DEVICE_FAILURE_LIMIT - 1; n += 1) {
          expect((await signInLocally(t.database, 'alice', `typo ${n}`, OWNER, device)).outcome).toBe(
            'refused',
          );
        }
        expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER, device)).outcome).toBe('ok');
        for (let n = 0; n < DEVICE_FAILURE_LIMIT; n += 1) {
          expect((await signInLocally(t.database, 'alice', `typo ${n}`, OWNER, device)).outcome).toBe(
            'refused',
          );
        }
        expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER, device)).outcome).toBe('throttled');
      });

      test('parallel guesses with a device cookie are checked at most up to its limit', async () => {
        const device = createDeviceToken(alice) ?? '';
        let results: LocalSignIn[] = [];
        const checks = await countChecks(async () => {
          results = await inParallel(
            Array.from({ length: PARALLEL_GUESSES }, (_, n) => ({
              username: 'alice',
              password: `guess ${n}`,
              address: `192.0.2.${n}`,
              device,
            })),
          );
        });
        expect(tally(results).refused).toBeLessThanOrEqual(DEVICE_FAILURE_LIMIT);
        expect(checks).toBe(tally(results).refused);
      });
    });

    describe('successes', () => {
      test("a success does not clear the address's failures", async () => {
        await spray(STRANGER, ADDRESS_FAILURE_LIMIT - 1);
        expect((await signInLocally(t.database, 'bob', PASSWORD, STRANGER)).outcome).toBe('ok');
        expect(await remainingFailures(`addr:${STRANGER}`)).toBe(ADDRESS_FAILURE_LIMIT - 1);
        await signInLocally(t.database, 'someone', 'guess', STRANGER);
        expect((await signInLocally(t.database, 'bob', PASSWORD, STRANGER)).outcome).toBe('throttled');
      });

      test("a success does not clear the stranger's failures of the account", async () => {
        const device = createDeviceToken(alice) ?? '';
        for (let n = 0; n < ACCOUNT_FAILURE_LIMIT; n += 1)
          await signInLocally(t.database, 'alice', `guess ${n}`, STRANGER);
        expect((await signInLocally(t.database, 'alice', PASSWORD, OWNER, device)).outcome).toBe('ok');
        expect(await remainingFailures('user:alice')).toBe(ACCOUNT_FAILURE_LIMIT);
        expect((await signInLocally(t.database, 'alice', 'guess', '192.0.2.99')).outcome).toBe('throttled');
      });

      test('parallel right passwords all succeed and leave no rows', async () => {
        const results = await inParallel(
          Array.from({ length: ACCOUNT_FAILURE_LIMIT }, () => ({
            username: 'bob',
            password: PASSWORD,
            address: OWNER,
          })),
        );
        expect(tally(results).ok).toBe(ACCOUNT_FAILURE_LIMIT);
        expect(await t.database.db.select().from(t.database.tables.loginFailures)).toEqual([]);
      });
    });
  });
}
