/** WAL checkpoints in a worker: the WAL is copied back and started over, off the writer's thread. */

import { Database as SqliteClient } from 'bun:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { createWalCheckpointer, type WalCheckpointerOptions } from '../../src/db/wal-checkpointer.ts';

const PAGE = 4096;
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'debmonitor-wal-'));
  file = join(dir, 'wal.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function openWriter(): SqliteClient {
  const writer = new SqliteClient(file, { create: true, readwrite: true, strict: true });
  writer.exec('PRAGMA journal_mode = WAL');
  writer.exec('CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  return writer;
}

function bytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** A promise and the function that settles it, for the checkpointer's hooks. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** Polls for what has no event of its own (file sizes, the WAL starting over). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

const OPTIONS: WalCheckpointerOptions = {
  startAfterBytes: 0,
  restartFrames: 64,
  minIntervalMs: 0,
  // Far above what the test writes: any checkpoint seen is the worker's.
  fallbackAutocheckpoint: 100_000,
};

describe('WAL checkpointer', () => {
  test('the worker copies the WAL back and the WAL starts over, so the file stops growing', async () => {
    const writer = openWriter();
    const started = signal();
    const checkpointer = createWalCheckpointer(writer, file, { ...OPTIONS, onStart: started.resolve });
    const insert = writer.query('INSERT INTO blobs (data) VALUES (?)');
    const write = async (round: number) => {
      await checkpointer.beforeWrite();
      writer.transaction(() => {
        for (let i = 0; i < 4; i++) insert.run(new Uint8Array(3000).fill(round % 251));
      })();
      checkpointer.committed();
    };
    await write(0);
    await started.promise;
    expect(checkpointer.stats().running).toBe(true);
    expect(Number(writer.query('PRAGMA wal_autocheckpoint').values()[0]?.[0])).toBe(64 * 2);
    for (let round = 1; round <= 300; round++) {
      await write(round);
      if (round % 10 === 0) await Bun.sleep(1);
    }
    await until(() => checkpointer.stats().resets > 0, 'the WAL to start over');
    const stats = checkpointer.stats();
    expect(stats.passive).toBeGreaterThan(0);
    // About 1,200 pages were written; started over, the WAL holds fewer.
    expect(bytes(`${file}-wal`)).toBeLessThan(900 * PAGE);
    // The pages are in the database file: nobody but the worker checkpointed.
    expect(bytes(file)).toBeGreaterThan(900 * PAGE);
    await checkpointer.close();
    expect(checkpointer.stats().running).toBe(false);
    writer.close();
    // The worker's connection is closed too: the last connection removes the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  test('only the worker thread runs nicer, by workerNiceness', async () => {
    const server = getPriority(0);
    const writer = openWriter();
    const started = signal();
    const checkpointer = createWalCheckpointer(writer, file, {
      ...OPTIONS,
      workerNiceness: 5,
      onStart: started.resolve,
    });
    writer.query('INSERT INTO blobs (data) VALUES (?)').run(new Uint8Array(100));
    checkpointer.committed();
    await started.promise;
    expect(checkpointer.stats().workerNiceness).toBe(Math.min(19, server + 5));
    // Linux: niceness is per thread, so the writer's thread (this one) keeps its own.
    expect(getPriority(0)).toBe(server);
    await checkpointer.close();
    writer.close();
  });

  test('the worker starts only once the WAL passes startAfterBytes', async () => {
    const writer = openWriter();
    let spawned = 0;
    const started = signal();
    const checkpointer = createWalCheckpointer(writer, file, {
      ...OPTIONS,
      startAfterBytes: 64 * PAGE,
      onSpawn: () => spawned++,
      onStart: started.resolve,
    });
    const insert = writer.query('INSERT INTO blobs (data) VALUES (?)');
    // committed() decides at once whether to start the worker (the crossing commit below shows it).
    insert.run(new Uint8Array(100));
    checkpointer.committed();
    expect(spawned).toBe(0);
    expect(checkpointer.stats().running).toBe(false);
    expect(Number(writer.query('PRAGMA wal_autocheckpoint').values()[0]?.[0])).toBe(100_000);
    for (let i = 0; i < 80; i++) insert.run(new Uint8Array(4000));
    checkpointer.committed();
    expect(spawned).toBe(1);
    await started.promise;
    expect(checkpointer.stats().running).toBe(true);
    await checkpointer.close();
    writer.close();
  });

  test('a worker that fails hands checkpoints back to the writer and says so', async () => {
    const writer = openWriter();
    const failed = signal<string>();
    // The worker cannot open a file that does not exist.
    const checkpointer = createWalCheckpointer(writer, join(dir, 'missing.sqlite'), {
      ...OPTIONS,
      startAfterBytes: -1,
      fallbackAutocheckpoint: 1234,
      onFailure: failed.resolve,
    });
    writer.query('INSERT INTO blobs (data) VALUES (?)').run(new Uint8Array(100));
    checkpointer.committed();
    expect(await failed.promise).toContain('WAL checkpoint');
    expect(checkpointer.stats().running).toBe(false);
    expect(Number(writer.query('PRAGMA wal_autocheckpoint').values()[0]?.[0])).toBe(1234);
    await checkpointer.close();
    writer.close();
  });

  test('a database checkpoints in its worker under load', async () => {
    const database = await openDatabase(`sqlite:${file}`, {
      walCheckpoints: {
        startAfterBytes: 0,
        restartFrames: 64,
        minIntervalMs: 0,
        fallbackAutocheckpoint: 100_000,
      },
    });
    await migrate(database);
    const { packages } = database.tables;
    const afterMigrations = bytes(file);
    for (let round = 0; round < 200; round++) {
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          database.transaction(async (tx) => {
            await tx.db
              .insert(packages)
              .values(
                Array.from({ length: 20 }, (_, n) => ({ name: `p${round}-${i}-${n}-${'x'.repeat(150)}` })),
              );
          }),
        ),
      );
    }
    // 16,000 names of ~170 bytes: about 700 pages of table and index, spread over 200 commits.
    await until(() => bytes(file) > afterMigrations + 300 * PAGE, 'the worker to copy pages back');
    const [row] = await database.db
      .select()
      .from(packages)
      .where(eq(packages.name, `p199-3-19-${'x'.repeat(150)}`));
    expect(row).toBeDefined();
    await database.close();
  });
});
