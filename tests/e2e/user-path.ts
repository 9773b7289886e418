// The user's path through the studio, written once and walked by both hosts (studio.spec.ts in Chromium
// against `vae-studio serve`, electron.spec.ts in the desktop window): new project from a folder → import
// report → short training with live charts and previews → live decoding on the latent map → gallery save and
// exact regeneration → interpolation exported as a GIF → checkpoints → denoising.
import { expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { PLANTED_BAD_FILES, SCREENSHOTS, type StudioFolders } from './studio-fixture';

export interface Step {
  title: string;
  run(page: Page, folders: StudioFolders, shot: (name: string) => Promise<void>): Promise<void>;
}

export function screenshotter(page: Page, prefix = ''): (name: string) => Promise<void> {
  return async (name) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${prefix}${name}.png`) });
  };
}

/** Best, the epochs-based run, with `epochs` set under Details (a generator project starts on quick). */
export async function chooseBest(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('train-time-best').click();
  const details = page.getByTestId('train-details');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await page.getByTestId('train-epochs').fill(String(epochs));
}

function canvasPixels(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());
}

export const USER_PATH: Step[] = [
  {
    title: 'a new project from a folder imports it and reports the planted bad files',
    async run(page, folders, shot) {
      // The host may still have a project open from an earlier walk: start from the Start screen.
      await page.getByTestId('nav-start').click();
      await expect(page.getByTestId('new-project-name')).toBeVisible();
      await shot('01-start');
      await page.getByTestId('new-project-name').fill('My drawings');
      await page.getByTestId('new-project-folder').fill(folders.artFolder);
      await page.getByTestId('new-project-size').selectOption('32');
      await page.getByTestId('new-project-create').click();

      await expect(page.getByTestId('dataset-counts')).toContainText('24', { timeout: 60_000 });
      const failures = page.getByTestId('dataset-failure');
      await expect(failures).toHaveCount(PLANTED_BAD_FILES.length);
      for (const name of PLANTED_BAD_FILES) await expect(failures.filter({ hasText: name })).toHaveCount(1);
      await expect(page.getByTestId('thumb').first()).toBeVisible();
      await shot('02-dataset');
    },
  },
  {
    title: 'a short training run draws chart points and shows previews',
    async run(page, folders, shot) {
      await page.getByTestId('nav-train').click();
      await chooseBest(page, 60);
      await page.getByTestId('train-start').click();
      await expect(page.getByTestId('train-status')).toContainText(/running|starting/i);
      await expect(page.getByTestId('backend-badge')).toContainText(/wasm|tensorflow|cpu/i);
      await expect.poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(0);
      await expect(page.getByTestId('preview-reconstructions')).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('preview-samples')).toBeVisible();
      await shot('03-training');
      await expect(page.getByTestId('train-status')).toContainText(/idle|finished|done/i, { timeout: 180_000 });
      await shot('04-trained');
    },
  },
  {
    title: 'dragging on the latent map changes the live preview',
    async run(page, folders, shot) {
      await page.getByTestId('nav-explore').click();
      const map = page.getByTestId('latent-map');
      await expect(map).toBeVisible({ timeout: 60_000 });
      const box = (await map.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
      const preview = page.getByTestId('decode-preview');
      await expect.poll(async () => Number(await preview.getAttribute('data-frame'))).toBeGreaterThan(0);
      const before = await canvasPixels(page, 'decode-preview');
      const frames = Number(await preview.getAttribute('data-frame'));

      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.3 + i * 0.04), box.y + box.height * (0.3 + i * 0.04));
      await page.mouse.up();
      await expect.poll(async () => Number(await preview.getAttribute('data-frame'))).toBeGreaterThan(frames);
      await expect.poll(() => canvasPixels(page, 'decode-preview')).not.toBe(before);
      await shot('05-explore');
    },
  },
  {
    title: 'saving to the gallery keeps provenance and regenerates identically',
    async run(page, folders, shot) {
      await page.getByTestId('save-to-gallery').click();
      await page.getByTestId('nav-gallery').click();
      await expect(page.getByTestId('gallery-item')).toHaveCount(1);
      await page.getByTestId('gallery-regenerate').first().click();
      await expect(page.getByTestId('regenerate-result')).toContainText(/identical/i);
      await page.getByTestId('export-decoder').click();
      await expect(page.getByTestId('gallery-exported')).toHaveAttribute('data-path', /decoder/);
      const folder = (await page.getByTestId('gallery-exported').getAttribute('data-path'))!;
      expect(JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')).format, 'a TF.js layers model').toBe('layers-model');
      await shot('06-gallery');
    },
  },
  {
    title: 'an interpolation exports a GIF with the chosen number of frames',
    async run(page, folders, shot) {
      await page.getByTestId('nav-interpolate').click();
      const candidates = page.getByTestId('interp-candidate');
      await candidates.nth(0).click();
      await candidates.nth(5).click();
      await page.getByTestId('interp-frames').fill('9');
      await page.getByTestId('interp-mode').selectOption('slerp');
      await page.getByTestId('interp-play').click();
      await expect(page.getByTestId('interp-frame')).toBeVisible();
      await page.getByTestId('export-gif').click();
      const result = page.getByTestId('export-result');
      await expect(result).toHaveAttribute('data-path', /\.gif$/);
      const gif = (await result.getAttribute('data-path'))!;
      const meta = await sharp(readFileSync(gif), { animated: true }).metadata();
      expect(meta.pages, `${gif} frame count`).toBe(9);
      await shot('07-interpolate');
    },
  },
  {
    title: 'checkpoints are listed with their step and can be restored for exploring',
    async run(page, folders, shot) {
      await page.getByTestId('nav-checkpoints').click();
      const rows = page.getByTestId('checkpoint-row');
      await expect(rows.first()).toBeVisible();
      await expect(rows.first()).toContainText(/step/i);
      await page.getByTestId('checkpoint-restore').last().click();
      await shot('08-checkpoints');
    },
  },
  {
    title: 'the dark theme switches the whole window and stays chosen after a reload',
    async run(page, _folders, shot) {
      const html = page.locator('html');
      const before = await html.getAttribute('data-theme');
      await page.getByTestId('theme-toggle').click();
      const after = before === 'dark' ? 'light' : 'dark';
      await expect(html).toHaveAttribute('data-theme', after);
      const background = () => page.evaluate(`getComputedStyle(document.documentElement).backgroundColor`);
      const dark = await background();
      await page.reload();
      await expect(html).toHaveAttribute('data-theme', after);
      await page.getByTestId('nav-explore').click();
      await expect(page.getByTestId('latent-map')).toBeVisible();
      await shot('09-explore-dark');
      await page.getByTestId('theme-toggle').click();
      await expect(html).toHaveAttribute('data-theme', before ?? 'light');
      expect(await background(), 'the page background changes with the theme').not.toBe(dark);
    },
  },
  {
    title: 'a denoiser project denoises one photo with a before/after slider and a folder with a report',
    async run(page, folders, shot) {
      await page.getByTestId('nav-start').click();
      await page.getByTestId('new-project-name').fill('Noisy photos');
      await page.getByTestId('new-project-folder').fill(folders.photoFolder);
      await page.getByTestId('new-project-kind').selectOption('denoise');
      await page.getByTestId('new-project-create').click();
      await expect(page.getByTestId('dataset-counts')).toContainText('6', { timeout: 60_000 });

      await page.getByTestId('nav-denoise').click();
      await page.getByTestId('denoise-input').fill(join(folders.photoFolder, 'photo-0.jpg'));
      await page.getByTestId('denoise-run').click();
      const slider = page.getByTestId('before-after');
      await expect(slider).toBeVisible({ timeout: 60_000 });
      await page.getByTestId('before-after-handle').fill('20');
      // Strength previewed live (the "after" image fades toward the original), then applied by one more run.
      const full = (await page.getByTestId('denoise-output').getAttribute('data-path'))!;
      await page.getByTestId('denoise-preview-strength').fill('0.5');
      await expect(slider.getByAltText('After')).toHaveCSS('opacity', '0.5');
      await page.getByTestId('denoise-apply-strength').click();
      await expect(page.getByTestId('denoise-output')).not.toHaveAttribute('data-path', full);
      const half = (await page.getByTestId('denoise-output').getAttribute('data-path'))!;
      const original = join(folders.photoFolder, 'photo-0.jpg');
      const distance = async (file: string) => {
        const [a, b] = await Promise.all([original, file].map((f) => sharp(f).raw().toBuffer()));
        return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
      };
      expect(await distance(half), 'half strength stays closer to the original').toBeLessThan(await distance(full));
      await shot('10-denoise-one');

      const out = join(folders.outFolder, 'denoised');
      await page.getByTestId('batch-input').fill(folders.photoFolder);
      await page.getByTestId('batch-output').fill(out);
      await page.getByTestId('batch-run').click();
      const rows = page.getByTestId('batch-report-row');
      await expect(rows).toHaveCount(6, { timeout: 120_000 });
      await expect(page.getByTestId('batch-report')).toContainText(/6 done/i);
      for (let i = 0; i < 6; i++) await expect(rows.filter({ hasText: `photo-${i}.jpg` })).toHaveCount(1);
      await page.getByTestId('batch-report').scrollIntoViewIfNeeded();
      await shot('11-denoise-batch');
      expect(basename(out)).toBe('denoised');
    },
  },
];
