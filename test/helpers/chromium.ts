/**
 * Debian's Chromium for the browser tests (`chromium`, installed by .ci/run), launched headless as the
 * project's tests must, and a page that records what went wrong in it.
 */
import { type Browser, chromium, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--headless'],
  });
}

/**
 * A new page `width` px wide whose console errors (unless `ignore` matches them), Content Security
 * Policy refusals and uncaught errors are pushed to `problems`, for a test to assert it stays empty.
 */
export async function openWatchedPage(
  browser: Browser,
  width: number,
  problems: string[],
  ignore?: RegExp,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (message) => {
    const text = message.text();
    const error = message.type() === 'error' && !ignore?.test(text);
    if (error || /Content.Security.Policy|Refused to/i.test(text))
      problems.push(`console ${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return page;
}
