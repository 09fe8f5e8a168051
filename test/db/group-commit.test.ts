/** SQLite group commit: writers queued together share one COMMIT, each in its own savepoint. */

import { Database as SqliteClient } from 'bun:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGroupCommitter, type GroupCommitOptions } from '../../src/db/group-commit.ts';
import type { Transaction } from '../../src/db/sql-runner.ts';

let dir: string;
let writer: SqliteClient;
let reader: SqliteClient;
/** Writers per COMMIT, in order. */
let commits: number[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'debmonitor-group-'));
  const file = join(dir, 'group.sqlite');
  writer = new SqliteClient(file, { create: true, readwrite: true, strict: true });
  writer.exec('PRAGMA journal_mode = WAL');
  writer.exec('CREATE TABLE items (name TEXT NOT NULL UNIQUE)');
  reader = new SqliteClient(file, { readonly: true });
  commits = [];
});

afterEach(() => {
  reader.close();
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

function committer(options: Partial<GroupCommitOptions> = {}) {
  return createGroupCommitter(writer, writer as unknown as Transaction, {
    maxWriters: 8,
    maxGroupMs: 1_000,
    afterCommit: (writers) => commits.push(writers),
    ...options,
  });
}

function insert(name: string): void {
  writer.query('INSERT INTO items (name) VALUES (?)').run(name);
}

/** What another connection sees: only committed rows. */
function committedNames(): string[] {
  return reader
    .query('SELECT name FROM items ORDER BY name')
    .all()
    .map((row) => (row as { name: string }).name);
}

describe('group commit', () => {
  test('writers queued together share one COMMIT and run in the order they came', async () => {
    const writers = committer();
    const order: string[] = [];
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        writers.run(async () => {
          order.push(name);
          insert(name);
          return name.toUpperCase();
        }),
      ),
    );
    expect(results).toEqual(['A', 'B', 'C']);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(commits).toEqual([3]);
    expect(committedNames()).toEqual(['a', 'b', 'c']);
  });

  test('a failing writer changes nothing and the others of its group still commit', async () => {
    const writers = committer();
    const ok1 = writers.run(async () => insert('first'));
    const bad = writers.run(async () => {
      insert('half-done');
      insert('first'); // unique violation: the writer fails after writing a row
    });
    const ok2 = writers.run(async () => insert('last'));
    await expect(bad).rejects.toThrow(/UNIQUE/);
    await ok1;
    await ok2;
    expect(commits).toEqual([3]);
    expect(committedNames()).toEqual(['first', 'last']);
  });

  test('a writer settles only once its group is committed', async () => {
    const writers = committer();
    const seenWhenSettled: string[][] = [];
    const first = writers.run(async () => insert('one')).then(() => seenWhenSettled.push(committedNames()));
    const second = writers.run(async () => {
      // The first writer is done but not committed: nobody else can see its row yet.
      expect(committedNames()).toEqual([]);
      insert('two');
    });
    await Promise.all([first, second]);
    expect(seenWhenSettled).toEqual([['one', 'two']]);
  });

  test('a group holds at most maxWriters writers', async () => {
    const writers = committer({ maxWriters: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => writers.run(async () => insert(name))));
    expect(commits).toEqual([2, 2, 1]);
    expect(committedNames()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('a writer arriving after a group started waits for the next one', async () => {
    const writers = committer();
    let late: Promise<void> | undefined;
    await writers.run(async () => {
      insert('early');
      // Queued while the group runs (a real await in a writer lets requests in): it joins the group.
      late = writers.run(async () => insert('joined'));
      await new Promise((resolve) => setImmediate(resolve));
    });
    await late;
    await writers.run(async () => insert('after'));
    expect(commits).toEqual([2, 1]);
    expect(committedNames()).toEqual(['after', 'early', 'joined']);
  });

  test('when SQLite ends the transaction, every writer of the group fails and nothing is written', async () => {
    const writers = committer();
    const ok = writers.run(async () => insert('lost'));
    const fatal = writers.run(async () => {
      writer.exec('ROLLBACK'); // as SQLite does itself on a full disk or an I/O error
      throw new Error('disk I/O error');
    });
    const [okResult, fatalResult] = await Promise.allSettled([ok, fatal]);
    expect(okResult).toMatchObject({ status: 'rejected', reason: { message: 'disk I/O error' } });
    expect(fatalResult).toMatchObject({ status: 'rejected', reason: { message: 'disk I/O error' } });
    expect(commits).toEqual([]);
    expect(committedNames()).toEqual([]);
    // The next writer starts a fresh transaction.
    await writers.run(async () => insert('next'));
    expect(committedNames()).toEqual(['next']);
  });

  test('idle resolves once the queue is empty', async () => {
    const writers = committer();
    const pending = writers.run(async () => insert('x'));
    await writers.idle();
    expect(committedNames()).toEqual(['x']);
    await pending;
    await writers.idle();
  });

  test('a hook before each group can hold the writers back', async () => {
    let release: () => void = () => {};
    let held = true;
    let hookCalled: () => void = () => {};
    const called = new Promise<void>((resolve) => (hookCalled = resolve));
    const writers = committer({
      beforeGroup: () => {
        hookCalled();
        return held ? new Promise<void>((resolve) => (release = resolve)) : undefined;
      },
    });
    let ran = false;
    const pending = writers.run(async () => {
      ran = true;
      insert('held');
    });
    // The group waits on the hook's promise, so the writer cannot have run.
    await called;
    expect(ran).toBe(false);
    expect(committedNames()).toEqual([]);
    held = false;
    release();
    await pending;
    expect(ran).toBe(true);
    expect(committedNames()).toEqual(['held']);
  });
});
