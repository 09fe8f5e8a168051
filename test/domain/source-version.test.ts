import { describe, expect, test } from 'bun:test';
import { inferSourceVersion, sourceVersionOf } from '../../src/domain/source-version.ts';

describe('sourceVersionOf', () => {
  test('the reported source version wins', () => {
    expect(
      sourceVersionOf({
        version: '2:2.6.2+samba4.17.12+dfsg-0+deb12u1',
        sourceVersion: '2:4.17.12+dfsg-0+deb12u1',
      }),
    ).toBe('2:4.17.12+dfsg-0+deb12u1');
  });

  test('without one, a binNMU suffix is dropped', () => {
    expect(sourceVersionOf({ version: '1.27.1-2+b1' })).toBe('1.27.1-2');
    expect(inferSourceVersion('5.2.15-2+b7')).toBe('5.2.15-2');
    expect(inferSourceVersion('1.0+b1')).toBe('1.0');
  });

  test('other versions are their own source version', () => {
    expect(inferSourceVersion('7.88.1-10+deb12u5')).toBe('7.88.1-10+deb12u5');
    expect(inferSourceVersion('1.0+bpo1')).toBe('1.0+bpo1');
    expect(inferSourceVersion('1.0-1+b1~bpo12')).toBe('1.0-1+b1~bpo12');
  });
});
