/** An app on a fresh database, driven with app.request() as if from a given peer address. */

import { afterAll, afterEach, beforeAll, beforeEach } from 'bun:test';
import type { Hono } from 'hono';
import { parseConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { DialectName } from '../../src/db/types.ts';
import { createMemoryLogger } from '../../src/lib/logger.ts';
import { createStore } from '../../src/store/store.ts';
import { createApp } from '../../src/web/app.ts';
import type { AppEnv, ConnectionInfo } from '../../src/web/env.ts';
import {
  createTestDatabase,
  emptyMysqlTestDatabase,
  readAutoIncrements,
  type TestDatabase,
} from './databases.ts';
import { loadReferenceFixture } from './reference-fixture.ts';

export interface TestApp extends TestDatabase {
  app: Hono<AppEnv>;
  config: Config;
  log: ReturnType<typeof createMemoryLogger>;
  /** Sends a request from `connection` (loopback by default, a trusted proxy). */
  request(path: string, init?: RequestInit, connection?: Partial<ConnectionInfo>): Promise<Response>;
}

export interface TestAppOptions {
  kind?: DialectName;
  /** Configuration keys; the defaults here are the spec checklist's (VERIFY_CLIENTS and REQUIRE_LOGIN off). */
  config?: Record<string, unknown>;
  /** Load the reference fixture of spec §2.5. */
  fixture?: boolean;
  /** Rows per page of an export. */
  exportPageRows?: number;
}

/** Creates a migrated database (optionally with the fixture) and an app on it. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDatabase = await createTestDatabase(options.kind ?? 'sqlite');
  if (options.fixture) await loadReferenceFixture(testDatabase.database);
  return appOn(testDatabase, options);
}

/**
 * For a describe block whose tests each want an app on a fresh database (with the fixture if
 * asked): registers the hooks and returns the current test's app. On SQLite each test gets a new
 * database file, which is cheap. On MariaDB, where a new database takes about a second on a busy
 * server, the block shares one, emptied before each test (emptyMysqlTestDatabase: the ids come out
 * as in a fresh one) and refilled; each test still gets its own handle and app, so no cache
 * outlives its test.
 */
export function useFreshTestApp(options: TestAppOptions = {}): () => TestApp {
  let current: TestApp | undefined;
  let shared: TestDatabase | undefined;
  /** AUTO_INCREMENT counters right after the first test's setup. */
  let counters: Map<string, number> | undefined;
  if (options.kind === 'mysql') {
    beforeAll(async () => {
      shared = await createTestDatabase('mysql');
    });
    afterAll(async () => shared?.drop());
  }
  beforeEach(async () => {
    if (!shared) {
      current = await createTestApp(options);
      return;
    }
    const { url } = shared;
    if (counters) await emptyMysqlTestDatabase(url, counters);
    const database = await openDatabase(url);
    if (options.fixture) await loadReferenceFixture(database);
    counters ??= await readAutoIncrements(url);
    current = appOn({ url, database, store: createStore(database), drop: () => database.close() }, options);
  });
  afterEach(async () => {
    await current?.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('useFreshTestApp: no app outside a test');
    return current;
  };
}

function appOn(testDatabase: TestDatabase, options: TestAppOptions): TestApp {
  const config = parseConfig({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false, ...options.config }, () => {});
  const log = createMemoryLogger();
  const app = createApp({
    config,
    store: testDatabase.store,
    log,
    exportPageRows: options.exportPageRows,
  });
  return {
    ...testDatabase,
    app,
    config,
    log,
    request(path, init, connection) {
      const url = path.startsWith('http') ? path : `http://localhost${path}`;
      return Promise.resolve(app.request(url, init, { remoteAddress: '127.0.0.1', ...connection }));
    },
  };
}
