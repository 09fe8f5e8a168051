/** Loaded before every test file (bunfig.toml's [test] preload); `bun test` only. */
import { afterAll } from 'bun:test';
import { lowerPasswordHashCostForTests } from '../../src/lib/password-hash.ts';
import { enableAptCacheForTests } from './apt-cache.ts';
import { runEndOfRun } from './end-of-run.ts';

// argon2id at Bun's default cost takes about half a second a hash or check on a busy machine, and
// the suite creates accounts and signs in hundreds of times. The production cost stays as it is
// (test/lib/password-hash.test.ts checks it in a process without this preload).
lowerPasswordHashCostForTests({ memoryCost: 256, timeCost: 1 });

// The agents' APT runs with its binary cache, as on a Debian host (apt-cache.ts).
enableAptCacheForTests();

// A preload's afterAll runs once, after every file: what helpers made once per run (the MariaDB
// template of createTestDatabase).
afterAll(() => runEndOfRun());
