/**
 * `/export/<list>.csv|json`: the same bytes as before exports were streamed (golden rows captured
 * from the code of commit 7b1a2f6), read 1,000 and 2 rows at a time, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { formatCsv } from '../../../src/lib/csv.ts';
import { createApp } from '../../../src/web/app.ts';
import golden from '../../fixtures/exports-golden.json';
import { DIALECTS } from '../../helpers/databases.ts';
import { exportGoldenPaths, loadExportFixture } from '../../helpers/export-fixture.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

type Cell = string | number | null;
const headers = golden.headers as Record<string, string[]>;
const exports = golden.exports as Record<string, Cell[][]>;

/** What the export of `path` (`<list>?<query>`) answered before: JSON text and CSV text. */
function expected(path: string): { json: string; csv: string } {
  const list = path.slice(0, path.indexOf('?'));
  const header = headers[list] as string[];
  const rows = exports[path] as Cell[][];
  const objects = rows.map((row) => Object.fromEntries(header.map((key, index) => [key, row[index]])));
  // The CSV through today's cell encoder, so that a change of cell encoding is not a failure here.
  return { json: JSON.stringify(objects), csv: formatCsv(header, rows) };
}

async function* chunksOf(response: Response): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    yield decoder.decode(chunk, { stream: true });
}

for (const kind of DIALECTS) {
  describe(`exports on ${kind}`, () => {
    let t: TestApp;
    /** An app on the same database that reads 2 rows at a time: page and window boundaries everywhere. */
    let requestSmall: (path: string) => Promise<Response>;
    beforeAll(async () => {
      t = await createTestApp({ kind });
      await loadExportFixture(t.database);
      const app = createApp({ config: t.config, store: t.store, log: t.log, exportPageRows: 2 });
      requestSmall = async (path) =>
        app.request(`http://localhost${path}`, {}, { remoteAddress: '127.0.0.1' });
    });
    afterAll(async () => t?.drop());

    test('the golden file covers every path', () => {
      expect(Object.keys(exports).sort()).toEqual(exportGoldenPaths().sort());
    });

    test('every export writes what it wrote before streaming, in pages of 2 rows', async () => {
      for (const path of exportGoldenPaths()) {
        const list = path.slice(0, path.indexOf('?'));
        const query = path.slice(path.indexOf('?'));
        const want = expected(path);
        for (const format of ['json', 'csv'] as const) {
          const response = await requestSmall(`/export/${list}.${format}${query}`);
          const chunks: string[] = [];
          for await (const chunk of chunksOf(response)) chunks.push(chunk);
          expect({ path, format, body: chunks.join('') }).toEqual({ path, format, body: want[format] });
          // The header (or `[`) with the first page, a chunk per later page, and `]`.
          const rows = (exports[path] as Cell[][]).length;
          const pages = Math.max(1, Math.ceil(rows / 2));
          expect(chunks.length).toBeGreaterThanOrEqual(pages);
        }
      }
    });

    test('every export writes what it wrote before streaming', async () => {
      for (const path of exportGoldenPaths()) {
        const list = path.slice(0, path.indexOf('?'));
        const query = path.slice(path.indexOf('?'));
        const want = expected(path);
        const json = await t.request(`/export/${list}.json${query}`);
        expect(json.status).toBe(200);
        expect(json.headers.get('content-type')).toBe('application/json');
        expect(json.headers.get('content-disposition')).toBe(`attachment; filename="${list}.json"`);
        expect(json.headers.get('cache-control')).toBe('no-cache, private');
        expect({ path, body: await json.text() }).toEqual({ path, body: want.json });
        const csv = await t.request(`/export/${list}.csv${query}`);
        expect(csv.status).toBe(200);
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${list}.csv"`);
        expect({ path, body: await csv.text() }).toEqual({ path, body: want.csv });
      }
    });

    test('unknown lists and missing subjects are 404', async () => {
      for (const path of [
        '/export/nothing.csv',
        '/export/host-packages.csv?host=nope',
        '/export/image-packages.json?image=nope',
        '/export/package-installations.csv?package=nope',
        '/export/kernel-hosts.json?kernel=999',
        '/export/kernel-hosts.json?kernel=x',
        '/export/source-package-versions.csv?package=nope',
        '/export/search.csv?q=ab',
      ])
        expect({ path, status: (await t.request(path)).status }).toEqual({ path, status: 404 });
    });
  });
}
