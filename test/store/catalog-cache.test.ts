/** The catalog id cache: staged entries are visible only after commit. */
import { describe, expect, test } from 'bun:test';
import { createCatalogCache } from '../../src/store/catalog-cache.ts';

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
