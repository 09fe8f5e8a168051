/** @jsxImportSource hono/jsx */
import { describe, expect, test } from 'bun:test';
import { Layout } from '../../../src/web/views/layout.tsx';
import { selectAll, selectHrefs, selectTexts } from '../../helpers/html.ts';

const render = (props: Parameters<typeof Layout>[0]) => `<!DOCTYPE html>${Layout(props)}`;

describe('Layout', () => {
  test('titles the page and highlights the section', async () => {
    const html = render({ title: 'Hosts', section: 'hosts', openToAnonymous: true });
    expect(await selectTexts(html, 'title')).toEqual(['Hosts - DebMonitor']);
    expect(await selectHrefs(html, 'nav a[aria-current="page"]')).toEqual(['/hosts/']);
    // This project's name and license; it is not Wikimedia's software, only modelled on it.
    expect(await selectTexts(html, 'footer span')).toEqual([
      "DebMonitor on Bun, GPL-3.0-or-later, after Wikimedia's DebMonitor",
    ]);
  });

  test('the search box tells SEARCH_MIN_LENGTH but lets a short query through to the search page', async () => {
    const [input] = await selectAll(
      render({ title: 'x', searchMinLength: 5, openToAnonymous: true }),
      '#site-search',
    );
    expect(input?.attrs).toMatchObject({ name: 'q', title: 'At least 5 characters.' });
    expect(input?.attrs).not.toHaveProperty('minlength');
    expect(input?.attrs).not.toHaveProperty('required');
  });

  test('an anonymous visitor who must sign in sees only the sign-in link', async () => {
    const html = render({ title: 'x' });
    expect(await selectHrefs(html, 'header a:not(.brand)')).toEqual(['/login/']);
    expect(await selectAll(html, '#site-search')).toEqual([]);
  });

  test('an anonymous visitor of open pages sees the sections, the search and the sign-in link', async () => {
    const html = render({ title: 'x', openToAnonymous: true });
    expect(await selectHrefs(html, '.nav a')).toEqual([
      '/hosts/',
      '/kernels/',
      '/packages/',
      '/source-packages/',
      '/images/',
      '/kubernetes/',
      '/changes/',
      '/cves/',
    ]);
    expect(await selectAll(html, '#site-search')).toHaveLength(1);
    expect(await selectHrefs(html, '.user-menu a')).toEqual(['/login/']);
  });

  test('a superuser sees the Users link and a logout form carrying the CSRF token', async () => {
    const html = render({ title: 'x', user: { username: 'ada', isSuperuser: true }, csrfToken: 'tok"en' });
    expect(await selectTexts(html, '.user-menu strong')).toEqual(['ada']);
    expect(await selectHrefs(html, '.user-menu a')).toEqual(['/admin/users']);
    const [form] = await selectAll(html, '.user-menu form');
    expect(form?.attrs).toMatchObject({ method: 'post', action: '/logout/' });
    const [token] = await selectAll(html, '.user-menu input[name="csrf_token"]');
    expect(token?.attrs.value).toBe('tok"en');
  });

  test('other users get no Users link', async () => {
    const html = render({ title: 'x', user: { username: 'bob', isSuperuser: false } });
    expect(await selectHrefs(html, '.user-menu a')).toEqual([]);
  });
});
