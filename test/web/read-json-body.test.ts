/** Report bodies: the nesting scan that runs before JSON.parse, and the byte cap. */
import { describe, expect, test } from 'bun:test';
import { createJsonDepthScan, MAX_JSON_DEPTH, readJsonObject } from '../../src/web/read-json-body.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** Whether the scan accepts `text` at `maxDepth`, fed in chunks of `chunkBytes`. */
function scanAccepts(text: string, maxDepth: number, chunkBytes = 1 << 20): boolean {
  const bytes = encode(text);
  const scan = createJsonDepthScan(maxDepth);
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    if (!scan(bytes.subarray(offset, offset + chunkBytes))) return false;
  }
  return true;
}

/** How deep arrays and objects nest in a parsed value. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** A random JSON value; its strings hold brackets, quotes and backslashes, and non-ASCII text. */
function randomValue(random: () => number, budget: number): unknown {
  const pick = Math.floor(random() * (budget > 0 ? 6 : 3));
  const strings = ['[', ']{', '}"', '\\', '\\"[', 'é[ü', '\\\\', '"{"', '😀]'];
  if (pick === 0) return strings[Math.floor(random() * strings.length)];
  if (pick === 1) return Math.floor(random() * 1000);
  if (pick === 2) return random() < 0.5 ? null : true;
  const items = Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, budget - 1));
  if (pick === 3) return items;
  return Object.fromEntries(items.map((item, index) => [`${strings[index % strings.length]}${index}`, item]));
}

/** Mulberry32: the same values on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('createJsonDepthScan', () => {
  test('accepts nesting up to the limit and refuses one level more', () => {
    expect(scanAccepts(`${'['.repeat(64)}${']'.repeat(64)}`, 64)).toBe(true);
    expect(scanAccepts(`${'['.repeat(65)}${']'.repeat(65)}`, 64)).toBe(false);
    expect(scanAccepts(`${'{"a":'.repeat(65)}1${'}'.repeat(65)}`, 64)).toBe(false);
  });

  test('brackets inside strings do not count, escaped quotes do not end a string', () => {
    expect(scanAccepts(JSON.stringify({ a: '['.repeat(1000) }), 2)).toBe(true);
    expect(scanAccepts(JSON.stringify({ a: `\\"${'{'.repeat(1000)}` }), 2)).toBe(true);
    expect(scanAccepts(`{"a": "\\\\", "b": [[[1]]]}`, 3)).toBe(false);
  });

  test('agrees with JSON.parse on random values, whole or fed one byte at a time', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const value = randomValue(random, 8);
      const text = JSON.stringify(value);
      const depth = depthOf(JSON.parse(text));
      expect(scanAccepts(text, depth)).toBe(true);
      if (depth > 0) expect(scanAccepts(text, depth - 1)).toBe(false);
      expect(scanAccepts(text, depth, 1)).toBe(true);
      if (depth > 0) expect(scanAccepts(text, depth - 1, 1)).toBe(false);
    }
  });
});

describe('readJsonObject', () => {
  const request = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request('http://localhost/hosts/h1/update', { method: 'POST', body, headers });

  test('a Kubernetes report, the most nested kind, is read', async () => {
    const report = { cluster: 'c1', images: { 'registry/app:1.0': { ns1: { pods: ['p1', 'p2'] } } } };
    const result = await readJsonObject(request(JSON.stringify(report)), 1 << 20);
    expect(result).toEqual({ ok: true, value: report });
  });

  test(`nesting deeper than ${MAX_JSON_DEPTH} levels is 400 with a clear message`, async () => {
    const deep = `{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`;
    expect(await readJsonObject(request(deep), 1 << 20)).toEqual({
      ok: false,
      status: 400,
      message: `Unable to parse JSON string payload: nested deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });

  test('a 30 MB body of brackets is refused after its first chunk, without reading the rest', async () => {
    let pulled = 0;
    const chunk = encode('['.repeat(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 30 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const result = await readJsonObject(request(body), 32 * 1024 * 1024);
    expect(result.ok ? 0 : result.status).toBe(400);
    expect(pulled).toBeLessThanOrEqual(2 * chunk.byteLength);
  });

  test('a body over the cap is 413, declared or not', async () => {
    const big = `{"a":"${'x'.repeat(2000)}"}`;
    expect(await readJsonObject(request(big), 1000)).toMatchObject({ ok: false, status: 413 });
    const stream = new Blob([big]).stream();
    expect(await readJsonObject(request(stream), 1000)).toMatchObject({ ok: false, status: 413 });
  });
});
