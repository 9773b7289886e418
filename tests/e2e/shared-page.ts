// One browser page for the tests of a serial spec: opened at the studio before the first, closed after the last.
import type { Page } from '@playwright/test';
import { test } from './studio-fixture';
import { screenshotter } from './user-path';

/** Registers the page's opening and closing; `use` receives it and its screenshotter (names prefixed by `prefix`). */
export function sharedStudioPage(prefix: string, use: (page: Page, shot: (name: string) => Promise<void>) => void): void {
  let page: Page | undefined;
  test.beforeAll(async ({ browser, studio }) => {
    page = await browser.newPage();
    page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
    use(page, screenshotter(page, prefix));
    await page.goto(studio.url);
  });
  test.afterAll(async () => {
    await page?.close();
  });
}
