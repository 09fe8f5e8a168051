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

/**
 * Saves a full-page PNG of `page` to `path` when DEBMONITOR_TEST_SCREENSHOTS=1, else does nothing:
 * the screenshots are for people to look at and no test reads them, and encoding some fifty tall
 * pages took about 8 s of CPU a run.
 */
export async function saveScreenshot(page: Page, path: string): Promise<void> {
  if (process.env.DEBMONITOR_TEST_SCREENSHOTS === '1') await page.screenshot({ path, fullPage: true });
}
