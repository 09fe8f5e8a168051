import { describe, expect, test } from 'bun:test';
import { INVENTORY_SPEC } from '../../src/web/list-specs.ts';
import { formatListQuery, readListState, toListOptions } from '../../src/web/list-state.ts';

describe('readListState', () => {
  test('defaults', () => {
    expect(readListState({}, INVENTORY_SPEC)).toEqual({
      page: 1,
      per: 50,
      sort: 'default',
      descending: false,
      q: '',
      filter: 'all',
    });
  });
  test('reads every parameter', () => {
    expect(
      readListState(
        { page: '3', per: '100', sort: '-security', q: ' web ', filter: 'security' },
        INVENTORY_SPEC,
      ),
    ).toEqual({
      page: 3,
      per: 100,
      sort: 'security',
      descending: true,
      q: 'web',
      filter: 'security',
    });
  });
  test('ignores unknown or hostile values', () => {
    expect(
      readListState({ page: '-2', per: '7', sort: '-drop table', filter: 'x' }, INVENTORY_SPEC),
    ).toMatchObject({
      page: 1,
      per: 50,
      sort: 'default',
      descending: false,
      filter: 'all',
    });
  });
  test('lists without the upgrade filter ignore it', () => {
    expect(readListState({ filter: 'security' }, { sorts: ['name'], defaultSort: 'name' }).filter).toBe(
      'all',
    );
  });
});

describe('formatListQuery', () => {
  test('leaves defaults out', () => {
    expect(formatListQuery(readListState({}, INVENTORY_SPEC), 'default')).toBe('');
  });
  test('round-trips a state', () => {
    const state = readListState(
      { page: '2', per: '25', sort: '-name', q: 'a b', filter: 'upgradable' },
      INVENTORY_SPEC,
    );
    const query = formatListQuery(state, 'default');
    expect(query).toBe('?q=a+b&filter=upgradable&sort=-name&per=25&page=2');
    expect(readListState(Object.fromEntries(new URLSearchParams(query)), INVENTORY_SPEC)).toEqual(state);
  });
  test('offsets follow pages', () => {
    expect(toListOptions(readListState({ page: '3', per: '25' }, INVENTORY_SPEC))).toMatchObject({
      offset: 50,
      limit: 25,
    });
  });
});
