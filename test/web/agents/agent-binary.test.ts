import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAgentBinary, findVersionMarker } from '../../../src/web/agents/agent-binary.ts';

const dir = mkdtempSync(join(tmpdir(), 'debmonitor-agent-binary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findVersionMarker', () => {
  test('reads the version after the marker, up to the closing quote', () => {
    expect(findVersionMarker(Buffer.from('x="@(#)debmonitor 1.0.1-rc.2+b5".slice(15)'))).toBe(
      '1.0.1-rc.2+b5',
    );
  });
  test('skips a bare prefix with no version after it', () => {
    expect(findVersionMarker(Buffer.from('a="@(#)debmonitor ";b="@(#)debmonitor 2.0.0"'))).toBe('2.0.0');
  });
  test('ignores a marker cut by the end of the data', () => {
    expect(findVersionMarker(Buffer.from('"@(#)debmonitor 1.0'))).toBeNull();
  });
  test('finds nothing in data without a marker', () => {
    expect(findVersionMarker(Buffer.from('debmonitor 1.0.0'))).toBeNull();
  });
});

describe('describeAgentBinary', () => {
  test('finds a marker that straddles a read boundary, and hashes the whole file', async () => {
    const marker = Buffer.from('"@(#)debmonitor 3.1.4"');
    for (const boundary of [65_536, 131_072, 262_144, 524_288]) {
      const bytes = Buffer.alloc(600_000, 0x41);
      marker.copy(bytes, boundary - 8);
      const path = join(dir, `straddle-${boundary}`);
      writeFileSync(path, bytes);
      const facts = await describeAgentBinary(path);
      expect(facts?.version).toBe('3.1.4');
      expect(facts?.sha256).toBe(new Bun.CryptoHasher('sha256').update(bytes).digest('hex'));
      expect(facts?.bytes).toBe(600_000);
    }
  });
  test('returns null for a missing file or a directory', async () => {
    expect(await describeAgentBinary(join(dir, 'missing'))).toBeNull();
    expect(await describeAgentBinary(dir)).toBeNull();
  });
});
