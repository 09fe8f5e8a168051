import { describe, expect, test } from 'bun:test';
import { decideUpdate } from '../../src/domain/update-decision.ts';

describe('decideUpdate', () => {
  describe('without a pinned version', () => {
    test('updates to a newer version', () =>
      expect(decideUpdate('1.0.0', '1.0.1')).toEqual({ action: 'update', downgrade: false }));
    test('updates from a pre-release to its release', () =>
      expect(decideUpdate('1.1.0-rc.1', '1.1.0').action).toBe('update'));
    test('keeps the same version', () =>
      expect(decideUpdate('1.0.1', '1.0.1')).toEqual({ action: 'keep', reason: 'same-version' }));
    test('never downgrades', () =>
      expect(decideUpdate('1.0.10', '1.0.9')).toEqual({ action: 'keep', reason: 'older-offered' }));
  });
  describe('with a pinned version', () => {
    test('installs the pinned version even when older', () =>
      expect(decideUpdate('1.0.1', '1.0.0', '1.0.0')).toEqual({ action: 'update', downgrade: true }));
    test('installs the pinned version when newer', () =>
      expect(decideUpdate('1.0.0', '1.2.0', '1.2.0')).toEqual({ action: 'update', downgrade: false }));
    test('keeps running when the server offers another version', () =>
      expect(decideUpdate('1.0.0', '1.2.0', '1.1.0')).toEqual({
        action: 'keep',
        reason: 'pinned-version-not-offered',
      }));
    test('keeps running when already at the pinned version', () =>
      expect(decideUpdate('1.1.0', '1.1.0', '1.1.0')).toEqual({ action: 'keep', reason: 'same-version' }));
  });
  describe('refuses versions that cannot be ordered', () => {
    test('an offered version such as upstream 0.3client3', () =>
      expect(decideUpdate('1.0.0', '0.3client3')).toEqual({
        action: 'refuse',
        reason: "the offered version '0.3client3' is not a semantic version",
      }));
    test('an empty offered version', () => expect(decideUpdate('1.0.0', '').action).toBe('refuse'));
    test('a pinned version that is not a version', () =>
      expect(decideUpdate('1.0.0', '1.0.1', 'latest').action).toBe('refuse'));
  });
});
