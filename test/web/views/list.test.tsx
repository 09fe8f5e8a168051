/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test';
import type { ListState } from '../../../src/web/list-state.ts';
import {
  ListControls,
  type ListView,
  pagerItems,
  SortHeader,
} from '../../../src/web/views/components/list.tsx';
import { selectAll, selectTexts } from '../../helpers/html.ts';

const state: ListState = { page: 1, per: 50, sort: 'default', descending: false, q: '', filter: 'all' };
const view = (changes: Partial<ListView> = {}): ListView => ({
  path: '/hosts/',
  state,
  defaultSort: 'default',
  total: 100,
  upgradeFilter: true,
  ...changes,
});

describe('list parts', () => {
  test('the pager shows the first, the last and two pages either side, with ellipses between', () => {
    expect(pagerItems(1, 7)).toEqual([1, 2, 3, null, 7]);
    expect(pagerItems(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pagerItems(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pagerItems(20, 20)).toEqual([1, null, 18, 19, 20]);
    expect(pagerItems(1, 1)).toEqual([1]);
    // A gap of one page shows that page rather than an ellipsis.
    expect(pagerItems(5, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('the upgrade filter names what the list shows', async () => {
    const html = `${<ListControls list={view({ filterNoun: 'hosts' })} />}`;
    expect(await selectTexts(html, '#list-filter option')).toEqual([
      'Show all hosts',
      'Show only hosts with upgrades',
      'Show only hosts with security upgrades',
    ]);
  });

  test('the header leading the default order shows its arrow, and a click reverses it', async () => {
    const html = `${(
      <table>
        <tr>
          <SortHeader list={view()} sortKey="security" label="Security" shows="descending" />
          <SortHeader list={view()} sortKey="name" label="Name" />
        </tr>
      </table>
    )}`;
    const [security, name] = await selectAll(html, 'th');
    expect(security?.attrs['aria-sort']).toBe('descending');
    expect(await selectTexts(html, 'th .sort-mark')).toEqual(['▼']);
    expect(await selectAll(html, 'th a[href="/hosts/?sort=security"]')).toHaveLength(1);
    expect(name?.attrs['aria-sort']).toBeUndefined();
  });
});
