import { describe, expect, test } from 'bun:test';
import { JsonStreamError, objectEntries } from '../../src/lib/json-object-entries.ts';

/** The text in chunks of `size` bytes, so that members, strings and escapes are cut anywhere. */
async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function collect(text: string, size = 3, maxEntryChars?: number) {
  const out: [string, unknown][] = [];
  for await (const entry of objectEntries(chunked(text, size), { maxEntryChars })) out.push(entry);
  return out;
}

describe('objectEntries', () => {
  const doc = ' {"a": {"x": "}{\\"]", "n": [1, {"y": 2}]},\n "b\\u00e9\\"": {}, "c":{"é":"ü"}} \n';

  test('yields each member in order, whatever the chunk size', async () => {
    const expected = Object.entries(JSON.parse(doc));
    for (const size of [1, 2, 3, 7, 1000]) expect(await collect(doc, size)).toEqual(expected);
  });

  test('an empty object has no members', async () => {
    expect(await collect('{}')).toEqual([]);
  });

  const refused: [string, string, RegExp][] = [
    ['an HTML page', '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', /an HTML error page/],
    ['junk', 'hello world', /not a JSON object/],
    ['an array', '[{"a": {}}]', /not a JSON object/],
    ['nothing', '  ', /empty input/],
    ['a cut-short document', '{"a": {"x": 1}, "b": {"y": [1, 2', /cut short after 1 members/],
    ['a document cut after a member', '{"a": {"x": 1},', /cut short/],
    ['a member that is not an object', '{"a": 1}', /member 'a': expected an object/],
    ['invalid JSON inside a member', '{"a": {"x": tru}}', /member 'a' is not valid JSON/],
    ['a trailing comma', '{"a": {},}', /expected a key/],
    ['text after the end', '{"a": {}} x', /expected the end/],
    ['a missing colon', '{"a" {}}', /expected ':'/],
  ];
  for (const [what, text, message] of refused)
    test(`refuses ${what}`, async () => {
      const error = await collect(text).catch((e) => e);
      expect(error).toBeInstanceOf(JsonStreamError);
      expect(error.message).toMatch(message);
    });

  test('refuses a member longer than the cap', async () => {
    const error = await collect(`{"a": {"x": "${'z'.repeat(100)}"}}`, 3, 50).catch((e) => e);
    expect(error).toBeInstanceOf(JsonStreamError);
    expect(error.message).toMatch(/longer than 50/);
  });

  test('refuses bytes that are not UTF-8', async () => {
    async function* bad() {
      yield new Uint8Array([0x7b, 0x22, 0xff, 0x22]);
    }
    const error = await (async () => {
      for await (const _ of objectEntries(bad()));
    })().catch((e) => e);
    expect(error).toBeInstanceOf(JsonStreamError);
  });
});
