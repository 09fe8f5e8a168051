import { describe, expect, test } from 'bun:test';
import { selectTexts } from '../../helpers/html.ts';
import { createTestApp } from '../../helpers/test-app.ts';

describe('error pages', () => {
  test('an unknown path is the 404 page inside the layout, with an empty title', async () => {
    const t = await createTestApp();
    try {
      const response = await t.request('/no/such/page');
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(await selectTexts(html, 'main h3')).toEqual(['Page not found!']);
      expect(await selectTexts(html, 'nav a')).toContain('Hosts');
    } finally {
      await t.drop();
    }
  });

  test('a failing page is the 500 page, and the error is logged', async () => {
    const t = await createTestApp();
    await t.database.close();
    const response = await t.request('/hosts/');
    expect(response.status).toBe(500);
    expect(await selectTexts(await response.text(), 'main h3')).toEqual(['Looks like something went wrong!']);
    expect(t.log.lines.some((line) => line.startsWith('ERROR GET /hosts/'))).toBe(true);
    await t.drop().catch(() => {});
  });
});
