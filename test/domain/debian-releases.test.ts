import { describe, expect, test } from 'bun:test';
import { codenameOfOs } from '../../src/domain/debian-releases.ts';

describe('codenameOfOs', () => {
  test('Debian NN names its codename', () => {
    expect(codenameOfOs('Debian 12')).toBe('bookworm');
    expect(codenameOfOs('Debian 11')).toBe('bullseye');
    expect(codenameOfOs('Debian 13')).toBe('trixie');
    expect(codenameOfOs('Debian 12.5')).toBe('bookworm');
  });

  test('other labels and unknown majors have no codename', () => {
    expect(codenameOfOs('Debian')).toBeNull();
    expect(codenameOfOs('Debian 99')).toBeNull();
    expect(codenameOfOs('Ubuntu 24.04')).toBeNull();
    expect(codenameOfOs('unknown')).toBeNull();
  });
});
