import { describe, expect, test } from 'bun:test';
import { couldBePartOfTrackerId } from '../../../src/store/read/search.ts';

describe('which queries can be part of a security tracker id', () => {
  test('parts of CVE and TEMP ids, in any case', () => {
    for (const q of [
      'CVE-2024-1234',
      'cve-2024',
      '2024-12',
      'TEMP-0000000-1E2B9F',
      'temp',
      '1e2b9f',
      'e-2',
      '-',
    ])
      expect(couldBePartOfTrackerId(q)).toBe(true);
  });

  test('a character no id has rules the query out', () => {
    for (const q of ['host-42', 'libssl3', '1.2.3', 'web1.example.org', 'cve 2024', 'CVE_2024', 'x'])
      expect(couldBePartOfTrackerId(q)).toBe(false);
  });
});
