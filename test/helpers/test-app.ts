/** An app on a fresh database, driven with app.request() as if from a given peer address. */
import type { Hono } from 'hono';
import { parseConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import type { DialectName } from '../../src/db/types.ts';
import { createMemoryLogger } from '../../src/lib/logger.ts';
import { createApp } from '../../src/web/app.ts';
import type { AppEnv, ConnectionInfo } from '../../src/web/env.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
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
  const config = parseConfig({ VERIFY_CLIENTS: false, REQUIRE_LOGIN: false, ...options.config }, () => {});
  const log = createMemoryLogger();
  const app = createApp({
    config,
    database: testDatabase.database,
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
