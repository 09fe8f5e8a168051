import { describe, expect, test } from 'bun:test';
import { compareDebianVersions, parseDebianVersion } from '../../src/domain/debian-version.ts';

function expectOrder(lower: string, higher: string): void {
  expect(compareDebianVersions(lower, higher)).toBe(-1);
  expect(compareDebianVersions(higher, lower)).toBe(1);
}

describe('parseDebianVersion', () => {
  test('no epoch, no revision', () => {
    expect(parseDebianVersion('1.2.3')).toEqual({ epoch: 0, upstream: '1.2.3', revision: '' });
  });
  test('epoch and revision', () => {
    expect(parseDebianVersion('2:1.2-3')).toEqual({ epoch: 2, upstream: '1.2', revision: '3' });
  });
  test('the revision starts after the last hyphen', () => {
    expect(parseDebianVersion('1.2-beta-4')).toEqual({ epoch: 0, upstream: '1.2-beta', revision: '4' });
  });
  test('colons after the epoch stay in the upstream version', () => {
    expect(parseDebianVersion('1:2:3-4')).toEqual({ epoch: 1, upstream: '2:3', revision: '4' });
  });
});

describe('compareDebianVersions', () => {
  describe('equal versions', () => {
    test('identical strings', () => expect(compareDebianVersions('1.0-1', '1.0-1')).toBe(0));
    test('an explicit zero epoch', () => expect(compareDebianVersions('0:1.0', '1.0')).toBe(0));
    test('leading zeros in numbers', () => expect(compareDebianVersions('1.001', '1.1')).toBe(0));
    test('an absent revision equals revision 0', () => expect(compareDebianVersions('1.0', '1.0-0')).toBe(0));
  });
  describe('orders epochs first', () => {
    test('1:0 > 0:9', () => expectOrder('0:9', '1:0'));
    test('1:1.0 > 9.9', () => expectOrder('9.9', '1:1.0'));
    test('10:1 > 9:1', () => expectOrder('9:1', '10:1'));
  });
  describe('compares numbers numerically', () => {
    test('1.10 > 1.9', () => expectOrder('1.9', '1.10'));
    test('2.0 > 1.999', () => expectOrder('1.999', '2.0'));
    test('1.0.1 > 1.0', () => expectOrder('1.0', '1.0.1'));
  });
  describe('sorts ~ before everything', () => {
    test('1.0~rc1 < 1.0', () => expectOrder('1.0~rc1', '1.0'));
    test('1.0~~ < 1.0~', () => expectOrder('1.0~~', '1.0~'));
    test('1.0~~a < 1.0~', () => expectOrder('1.0~~a', '1.0~'));
    test('1.0~beta < 1.0~rc', () => expectOrder('1.0~beta', '1.0~rc'));
    test('revision 1~bpo1 < 1', () => expectOrder('2.0-1~bpo12+1', '2.0-1'));
  });
  describe('sorts letters before non-letters', () => {
    test('1.0a < 1.0+', () => expectOrder('1.0a', '1.0+'));
    test('1.0a < 1.0.', () => expectOrder('1.0a', '1.0.'));
    test('1.0 < 1.0a (the end sorts before a letter)', () => expectOrder('1.0', '1.0a'));
    test('1.0 < 1.0+b1', () => expectOrder('1.0', '1.0+b1'));
    test('uppercase before lowercase', () => expectOrder('1.0A', '1.0a'));
  });
  describe('compares the revision last', () => {
    test('1.0-2 > 1.0-1', () => expectOrder('1.0-1', '1.0-2'));
    test('1.0-10 > 1.0-9', () => expectOrder('1.0-9', '1.0-10'));
    test('1.0-1+deb12u1 > 1.0-1', () => expectOrder('1.0-1', '1.0-1+deb12u1'));
    test('upstream wins over revision', () => expectOrder('1.0-9', '1.1-1'));
  });
  describe('real Debian versions', () => {
    test('glibc security update', () => expectOrder('2.36-9+deb12u7', '2.36-9+deb12u8'));
    test('binNMU after its source', () => expectOrder('1.2-3', '1.2-3+b1'));
    test('openssl point release', () => expectOrder('3.0.11-1~deb12u2', '3.0.13-1~deb12u1'));
    test('kernel ABI bump', () => expectOrder('6.1.76-1', '6.1.90-1'));
  });
});
