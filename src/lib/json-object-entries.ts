/**
 * Reads a JSON document whose top level is an object of objects, one member at a time, from a byte
 * stream: memory holds one member's text, not the document. A small scanner that knows strings and
 * nesting finds where each member's object ends; JSON.parse checks and parses that object.
 */

/** The input is not an object of objects (junk, an HTML page, cut short, another type). */
export class JsonStreamError extends Error {}

export interface ObjectEntriesOptions {
  /** Refuse a member longer than this many characters (junk without an end must not fill memory). */
  maxEntryChars?: number;
}

const DEFAULT_MAX_ENTRY_CHARS = 64 * 1024 * 1024;

/** Yields `[key, value]` for each member of the top-level object, in order. */
export async function* objectEntries(
  bytes: AsyncIterable<Uint8Array>,
  options: ObjectEntriesOptions = {},
): AsyncGenerator<[string, Record<string, unknown>]> {
  const scanner = new EntryScanner(options.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of bytes) yield* scanner.push(decoder.decode(chunk, { stream: true }));
    yield* scanner.push(decoder.decode());
  } catch (error) {
    if (error instanceof TypeError && /decode|encod/i.test(error.message))
      throw new JsonStreamError('not UTF-8 text');
    throw error;
  }
  scanner.end();
}

type Phase = 'start' | 'key-or-end' | 'key' | 'colon' | 'value' | 'comma-or-end' | 'done';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);

class EntryScanner {
  private phase: Phase = 'start';
  private text = '';
  private pos = 0;
  /** Where the current key or value begins in `text`. */
  private begin = 0;
  private key = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private count = 0;

  constructor(private readonly maxEntryChars: number) {}

  *push(chunk: string): Generator<[string, Record<string, unknown>]> {
    // Keep only what the current key or value still needs.
    const inToken = (this.phase === 'key' || this.phase === 'value') && this.begin >= 0;
    const keep = inToken ? this.begin : this.pos;
    this.text = this.text.slice(keep) + chunk;
    this.pos -= keep;
    this.begin -= keep;
    while (this.pos < this.text.length) {
      const code = this.text.charCodeAt(this.pos);
      switch (this.phase) {
        case 'start':
          if (WHITESPACE.has(code)) break;
          if (code === 0x3c) throw new JsonStreamError('not JSON but markup (an HTML error page?)');
          if (code !== 0x7b)
            throw new JsonStreamError(`not a JSON object: starts with ${describe(this.text, this.pos)}`);
          this.phase = 'key-or-end';
          break;
        case 'key-or-end':
          if (WHITESPACE.has(code)) break;
          // `}` only closes an empty object: after a comma a key must follow.
          if (code === 0x7d && this.count === 0) {
            this.phase = 'done';
            break;
          }
          if (code !== 0x22) throw this.unexpected('a key');
          this.phase = 'key';
          this.begin = this.pos;
          this.escaped = false;
          break;
        case 'key':
          if (this.escaped) this.escaped = false;
          else if (code === 0x5c) this.escaped = true;
          else if (code === 0x22) {
            this.key = JSON.parse(this.text.slice(this.begin, this.pos + 1)) as string;
            this.phase = 'colon';
          }
          break;
        case 'colon':
          if (WHITESPACE.has(code)) break;
          if (code !== 0x3a) throw this.unexpected("':'");
          this.phase = 'value';
          this.begin = -1;
          break;
        case 'value': {
          const entry = this.scanValue(code);
          if (entry) {
            this.count++;
            yield entry;
          }
          break;
        }
        case 'comma-or-end':
          if (WHITESPACE.has(code)) break;
          if (code === 0x2c) this.phase = 'key-or-end';
          else if (code === 0x7d) this.phase = 'done';
          else throw this.unexpected("',' or '}'");
          break;
        case 'done':
          if (!WHITESPACE.has(code)) throw this.unexpected('the end');
          break;
      }
      this.pos++;
      if (this.phase === 'value' && this.begin >= 0 && this.pos - this.begin > this.maxEntryChars)
        throw new JsonStreamError(`member '${this.key}' is longer than ${this.maxEntryChars} characters`);
    }
  }

  /** Scans one character of a member's value; returns the member once its object closes. */
  private scanValue(code: number): [string, Record<string, unknown>] | undefined {
    if (this.begin < 0) {
      if (WHITESPACE.has(code)) return undefined;
      if (code !== 0x7b) throw new JsonStreamError(`member '${this.key}': expected an object`);
      this.begin = this.pos;
      this.depth = 1;
      this.inString = false;
      this.escaped = false;
      return undefined;
    }
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (code === 0x5c) this.escaped = true;
      else if (code === 0x22) this.inString = false;
      return undefined;
    }
    if (code === 0x22) this.inString = true;
    else if (code === 0x7b || code === 0x5b) this.depth++;
    else if (code === 0x7d || code === 0x5d) this.depth--;
    if (this.depth > 0) return undefined;
    const text = this.text.slice(this.begin, this.pos + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new JsonStreamError(`member '${this.key}' is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new JsonStreamError(`member '${this.key}': expected an object`);
    this.phase = 'comma-or-end';
    return [this.key, value as Record<string, unknown>];
  }

  end(): void {
    if (this.phase === 'start') throw new JsonStreamError('empty input');
    if (this.phase !== 'done') throw new JsonStreamError(`cut short after ${this.count} members`);
  }

  private unexpected(what: string): JsonStreamError {
    return new JsonStreamError(
      `expected ${what} after ${this.count} members, found ${describe(this.text, this.pos)}`,
    );
  }
}

function describe(text: string, pos: number): string {
  const sample = text.slice(pos, pos + 20).replace(/\s+/g, ' ');
  return JSON.stringify(sample);
}
