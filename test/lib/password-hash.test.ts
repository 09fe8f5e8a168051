/** argon2id hashes: Bun's default cost in production; tests lower it only under `bun test`. */
import { describe, expect, test } from 'bun:test';
import { join, resolve } from 'node:path';
import { hashPassword, verifyDecoy, verifyPassword } from '../../src/lib/password-hash.ts';

const ROOT = resolve(import.meta.dir, '../..');

describe('password hashes', () => {
  test('verify the password they were made from, and only it', async () => {
    const hash = await hashPassword('a long secret');
    expect(await verifyPassword('a long secret', hash)).toBe(true);
    expect(await verifyPassword('another secret', hash)).toBe(false);
    expect(await verifyPassword('a long secret', 'not a hash')).toBe(false);
    expect(await verifyDecoy('a long secret')).toBe(false);
  });

  test('are cheap under bun test (the preload lowers the cost)', async () => {
    expect(await hashPassword('x')).toStartWith('$argon2id$v=19$m=256,t=1,p=1$');
  });

  test('nothing in src/ lowers the cost: only the test preload does', async () => {
    const callers: string[] = [];
    for await (const file of new Bun.Glob('{src,test}/**/*.ts').scan({ cwd: ROOT })) {
      const text = await Bun.file(join(ROOT, file)).text();
      if (/lowerPasswordHashCostForTests\(/.test(text)) callers.push(file);
    }
    expect(callers.sort()).toEqual([
      'src/lib/password-hash.ts',
      'test/helpers/preload.ts',
      'test/lib/password-hash.test.ts',
    ]);
  });

  test("outside bun test they cost Bun's default, and the cost cannot be lowered", () => {
    // A process run from the repository, as `bun src/server.ts` is: bunfig.toml is there, but its
    // [test] preload is not loaded, and NODE_ENV=test alone changes nothing.
    const script = `
      import { hashPassword, lowerPasswordHashCostForTests } from './src/lib/password-hash.ts';
      console.log(await hashPassword('x'));
      try { lowerPasswordHashCostForTests({ memoryCost: 8, timeCost: 1 }); console.log('lowered'); }
      catch (error) { console.log(error.message); }`;
    const run = (env: Record<string, string | undefined>) => {
      const result = Bun.spawnSync([process.execPath, '--eval', script], { cwd: ROOT, env });
      expect(result.stderr.toString()).toBe('');
      return result.stdout.toString().trim().split('\n');
    };
    const { NODE_ENV: _, ...env } = process.env;
    expect(run(env)).toEqual([
      expect.stringMatching(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/),
      'lowerPasswordHashCostForTests: only under bun test (NODE_ENV=test)',
    ]);
    // NODE_ENV=test alone lowers nothing: only the preload's call does.
    expect(run({ ...env, NODE_ENV: 'test' })[0]).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
  });
});
