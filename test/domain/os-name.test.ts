import { describe, expect, test } from 'bun:test';
import { checkOsName } from '../../src/domain/os-name.ts';

describe('checkOsName', () => {
  describe('accepts', () => {
    for (const name of ['Debian', 'Ubuntu', 'Debian 12', 'Ubuntu 22.04']) {
      test(name, () => expect(checkOsName(name)).toBeNull());
    }
  });
  describe('rejects with the upstream message', () => {
    for (const name of [
      'Ubuntu 1',
      'Debian12',
      'Debian 111',
      'Ubuntu 22.04.01',
      'unknown',
      '',
      'debian 12',
    ]) {
      test(JSON.stringify(name), () => expect(checkOsName(name)).toContain('The OS name needs to follow'));
    }
  });
  test('rejects names longer than 32 characters', () => {
    expect(checkOsName(`Debian ${'1'.repeat(40)}`)).toContain('at most 32');
  });
});
