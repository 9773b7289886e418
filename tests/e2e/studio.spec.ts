// The user's path (user-path.ts) in Debian's Chromium against `vae-studio serve`; screenshots of each screen.
import type { Page } from '@playwright/test';
import { test } from './studio-fixture';
import { screenshotter, USER_PATH } from './user-path';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser, studio }) => {
  page = await browser.newPage();
  page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
  await page.goto(studio.url);
});

test.afterAll(async () => {
  await page.close();
});

for (const step of USER_PATH) {
  test(step.title, async ({ studio }) => {
    await step.run(page, studio, screenshotter(page));
  });
}
