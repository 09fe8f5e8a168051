/** The catalog id cache: staged entries are visible only after commit. */
import { describe, expect, test } from 'bun:test';
import { createCatalogCache } from '../../src/store/ingest/catalog-cache.ts';

describe('createCatalogCache', () => {
  test('keeps entries of a committed scope only', () => {
    const cache = createCatalogCache();
    const rolledBack = cache.begin();
    rolledBack.set('package', 'libc6', 1);
    expect(rolledBack.get('package', 'libc6')).toBe(1);
    expect(cache.begin().get('package', 'libc6')).toBeUndefined();
    const committed = cache.begin();
    committed.set('package', 'libc6', 2);
    committed.commit();
    expect(cache.begin().get('package', 'libc6')).toBe(2);
    expect(cache.begin().get('srcPackage', 'libc6')).toBeUndefined();
    cache.clear();
    expect(cache.size()).toBe(0);
  });
});

describe('createCatalogCache versions', () => {
  test('finds versions by OS and parent, names ids back, and forgets a rolled-back scope', () => {
    const cache = createCatalogCache();
    const scope = cache.begin();
    scope.set('package', 'bash', 7);
    scope.setVersion('version', 1, 7, '5.2-1', 70);
    scope.markLoaded('version', 1, 7);
    expect(scope.getVersion('version', 1, 7, '5.2-1')).toBe(70);
    expect(scope.getVersion('version', 2, 7, '5.2-1')).toBeUndefined();
    expect(scope.getVersion('srcVersion', 1, 7, '5.2-1')).toBeUndefined();
    expect(cache.begin().isLoaded('version', 1, 7)).toBe(false);
    scope.commit();
    const next = cache.begin();
    expect([next.packageName(7), next.versionText(70), next.isLoaded('version', 1, 7)]).toEqual([
      'bash',
      '5.2-1',
      true,
    ]);
    const rolledBack = cache.begin();
    rolledBack.setVersion('version', 1, 7, '5.2-2', 71);
    expect(cache.begin().versionText(71)).toBeUndefined();
    expect(cache.size()).toBe(2);
  });
});
