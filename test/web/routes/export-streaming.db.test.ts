/**
 * A 100,000-row export is streamed in pages: the body arrives in many chunks, byte for byte what the
 * whole list written at once gives, and other requests are answered while it is still streaming
 * (in process, and through a real server), on both dialects. No timings: only the order of events.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareBinary } from '../../../src/lib/compare-binary.ts';
import { formatCsv } from '../../../src/lib/csv.ts';
import { DIALECTS } from '../../helpers/databases.ts';
import { addBigHost } from '../../helpers/extra-rows.ts';
import { type ServerProcess, startServerProcess } from '../../helpers/server-process.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const HOST = 'big.example.org';
const ROWS = 100_000;

/** The host's rows in the export's default order (no upgrades: by name). */
function bigHostRows(): (string | null)[][] {
  const rows = Array.from({ length: ROWS }, (_, i) => [`bigpkg-${i}`, `1.${i}-1`, null, null]);
  return rows.sort((a, b) => compareBinary(a[0] as string, b[0] as string));
}

/**
 * Reads `response`'s body chunk by chunk, 5 ms apart (a client that takes its time: on MariaDB the
 * export's last pages could otherwise outrun the other request's round trip to the database; with
 * 1 ms, about 40 ms for the whole body, a /healthz slowed by the other test worker came after the last
 * chunk once in five suite runs); after the first chunk, sends `other()` and notes how many chunks
 * had arrived when it was answered.
 */
async function readWhile(
  response: Response,
  other: () => Promise<Response>,
): Promise<{ body: string; chunks: number; answeredAfter: number; otherStatus: number }> {
  const decoder = new TextDecoder();
  let body = '';
  let chunks = 0;
  let answeredAfter = -1;
  let pending: Promise<number> | undefined;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    body += decoder.decode(chunk, { stream: true });
    chunks++;
    pending ??= other().then(async (answer) => {
      await answer.text();
      answeredAfter = chunks;
      return answer.status;
    });
    await Bun.sleep(5);
  }
  const otherStatus = (await pending) ?? 0;
  return { body, chunks, answeredAfter, otherStatus };
}

for (const kind of DIALECTS) {
  describe(`a ${ROWS}-row export on ${kind}`, () => {
    let t: TestApp;
    const header = ['package', 'version', 'upgradable_version', 'upgrade_type'];
    let expectedCsv: string;
    beforeAll(async () => {
      t = await createTestApp({ kind, fixture: true });
      await addBigHost(t.database, HOST, ROWS);
      expectedCsv = formatCsv(header, bigHostRows());
    });
    afterAll(async () => t?.drop());

    test('host-packages: many chunks, the same bytes, /healthz answered before the last chunk', async () => {
      const response = await t.request(`/export/host-packages.csv?host=${HOST}`);
      expect(response.status).toBe(200);
      const read = await readWhile(response, () => t.request('/healthz'));
      expect(read.body).toBe(expectedCsv);
      expect(read.chunks).toBeGreaterThanOrEqual(ROWS / 1000);
      expect(read.otherStatus).toBe(200);
      expect(read.answeredAfter).toBeGreaterThan(0);
      expect(read.answeredAfter).toBeLessThan(read.chunks);
    });

    test('search: a walk over 100,000 names, as JSON', async () => {
      const response = await t.request('/export/search.json?q=BIGPKG');
      const read = await readWhile(response, () => t.request('/hosts/'));
      const hits = bigHostRows().map(([name]) => ({ type: 'packages', name, version: null, os: null }));
      expect(read.body).toBe(JSON.stringify(hits));
      expect(read.chunks).toBeGreaterThanOrEqual(ROWS / 1000);
      expect(read.otherStatus).toBe(200);
      expect(read.answeredAfter).toBeLessThan(read.chunks);
    });

    describe('through a real server', () => {
      let dir: string;
      let server: ServerProcess;
      beforeAll(async () => {
        dir = mkdtempSync(join(tmpdir(), 'debmonitor-export-'));
        const config = join(dir, 'config.json');
        writeFileSync(
          config,
          JSON.stringify({ DATABASE_URL: t.url, VERIFY_CLIENTS: false, REQUIRE_LOGIN: false }),
        );
        server = await startServerProcess({
          cwd: dir,
          args: ['--config', config],
          env: { DEBMONITOR_LOG_LEVEL: 'warn' },
        });
      });
      afterAll(async () => {
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
      });

      test('/healthz is answered while host-packages is still streaming', async () => {
        const response = await fetch(`${server.url}/export/host-packages.csv?host=${HOST}`);
        const read = await readWhile(response, () => fetch(`${server.url}/healthz`));
        expect(read.body).toBe(expectedCsv);
        expect(read.otherStatus).toBe(200);
        expect(read.answeredAfter).toBeLessThan(read.chunks);
      });
    });
  });
}
