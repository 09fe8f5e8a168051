/** The store's one retry policy: transient failures run again, anything else ends at once. */
import { describe, expect, test } from 'bun:test';
import { mysqlErrors } from '../../src/db/driver-errors.ts';
import type { Database } from '../../src/db/open-database.ts';
import { TransientConflictError } from '../../src/store/ingest/report-errors.ts';
import { withRetries } from '../../src/store/retry.ts';

const DEADLOCK = Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });
const database = { errors: mysqlErrors } as unknown as Database;

/** Runs withRetries over `failures` (thrown in turn, then success); returns the runs made and the outcome. */
async function runThrough(failures: unknown[], options: Partial<Parameters<typeof withRetries>[1]> = {}) {
  let runs = 0;
  try {
    await withRetries(database, { attempts: 3, pauseMs: () => 0, ...options }, async () => {
      const failure = failures[runs++];
      if (failure) throw failure;
      return 'done';
    });
    return { runs, outcome: 'done' };
  } catch (error) {
    return { runs, outcome: (error as Error).message };
  }
}

describe('withRetries', () => {
  test('a deadlock or a transient conflict runs the work again', async () => {
    expect(await runThrough([DEADLOCK, new TransientConflictError('gone')])).toEqual({
      runs: 3,
      outcome: 'done',
    });
  });
  test('an error that is not transient ends it at once (GC must not repeat a broken statement)', async () => {
    expect(await runThrough([new Error('no such table: hosts'), undefined])).toEqual({
      runs: 1,
      outcome: 'no such table: hosts',
    });
  });
  test('the attempts bound the runs', async () => {
    expect(await runThrough([DEADLOCK, DEADLOCK, DEADLOCK, undefined])).toEqual({
      runs: 3,
      outcome: 'Deadlock found',
    });
  });
  test('alsoRetry adds failures worth another run; recover mends and runs again', async () => {
    const foreignKey = new Error('FOREIGN KEY constraint failed');
    const isForeignKey = (error: unknown) => error === foreignKey;
    expect(await runThrough([foreignKey, undefined], { alsoRetry: isForeignKey })).toEqual({
      runs: 2,
      outcome: 'done',
    });
    let mended = 0;
    const recover = (error: unknown) => isForeignKey(error) && mended++ === 0;
    expect(await runThrough([foreignKey, foreignKey, undefined], { recover })).toEqual({
      runs: 2,
      outcome: 'FOREIGN KEY constraint failed',
    });
  });
});
