// An artist's first hour, walked in Chromium against `vae-studio serve`: each thing that stood in the way
// (issue "The studio in an artist's first hour") checked where the person sees it, with screenshots.
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { test } from './studio-fixture';
import { createProject as createNewProject } from './new-project';
import { chooseBest, screenshotter } from './user-path';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shot: (name: string) => Promise<void>;
/** Media requests answered 404, e.g. a thumbnail of another project. */
const missingMedia: string[] = [];

test.beforeAll(async ({ browser, studio }) => {
  page = await browser.newPage();
  page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
  page.on('response', (r) => {
    if (r.url().includes('/media/') && r.status() === 404) missingMedia.push(r.url());
  });
  shot = screenshotter(page, 'first-hour-');
  await page.goto(studio.url);
});

test.afterAll(async () => {
  await page.close();
});

const createProject = (name: string, folder: string, kind: 'generate' | 'denoise' = 'generate') => createNewProject(page, { name, folder, kind });

async function openRecent(name: string): Promise<void> {
  await page.getByTestId('nav-start').click();
  await page.getByTestId('recent-project').filter({ hasText: name }).first().click();
}

const thumbSources = () => page.getByTestId('thumb').locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')!));

test('a folder that does not exist, or is empty, is refused before a project is made, and the message clears', async ({ studio }) => {
  await createProject('Ghost drawings', join(studio.outFolder, 'no such folder'));
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('There is no folder at');
  await expect(page.getByTestId('recent-project').filter({ hasText: 'Ghost drawings' })).toHaveCount(0);
  await shot('01-missing-folder');

  const empty = join(studio.outFolder, 'empty folder');
  mkdirSync(empty, { recursive: true });
  await page.getByTestId('new-project-folder').fill(empty);
  await page.getByTestId('new-project-create').click();
  await expect(banner).toHaveCount(1);
  await expect(banner).toContainText('is empty: put your images in it');
  await expect(page.getByTestId('recent-project').filter({ hasText: 'Ghost drawings' })).toHaveCount(0);

  await page.getByTestId('new-project-name').fill('Drawings A');
  await page.getByTestId('new-project-folder').fill(studio.artFolder);
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('dataset-counts')).toContainText('24', { timeout: 60_000 });
  await expect(banner, 'the old message is gone once the person moved on').toHaveCount(0);
});

test("another project's Dataset shows only its own images, with no requests for missing ones", async ({ studio }) => {
  await expect(page.getByTestId('thumb').locator('img').first()).toBeVisible();
  const srcA = await thumbSources();
  expect(srcA.length).toBeGreaterThan(0);

  await createProject('Photos B', studio.photoFolder);
  await expect(page.getByTestId('dataset-counts')).toContainText('6', { timeout: 60_000 });
  await expect(page.getByTestId('thumb').locator('img')).toHaveCount(6);
  const srcB = await thumbSources();
  for (const src of srcB) expect(srcA, `${src} is not one of A's addresses`).not.toContain(src);

  await openRecent('Drawings A');
  await expect(page.getByTestId('dataset-counts')).toContainText('24');
  await expect(page.getByTestId('thumb').locator('img').first()).toBeVisible();
  for (const src of await thumbSources()) expect(srcB).not.toContain(src);
  expect(missingMedia, 'no request for an image that is not there').toEqual([]);
});

test('training says "estimating…" after a start or resume, then a time; switching project asks first', async () => {
  await page.getByTestId('nav-train').click();
  await chooseBest(page, 3000);
  await expect(page.getByTestId('train-start')).toHaveText('Start training');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toContainText('Running', { timeout: 60_000 });
  await expect(page.getByTestId('train-eta')).toHaveText('estimating…');
  await expect(page.getByTestId('train-eta')).toHaveText(/^\d/, { timeout: 60_000 });
  await expect(page.getByTestId('backend-badge')).toContainText(/Training on your/);
  await expect(page.getByTestId('train-loss')).toBeVisible();
  await expect(page.getByTestId('train-status').locator('..')).toContainText(/Loss \((training|validation)\)/);

  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-status')).toContainText('Paused');
  await expect(page.getByTestId('train-saved')).toContainText(/Saved at step \d+/);
  await page.getByTestId('train-resume').click();
  await expect(page.getByTestId('train-status')).toContainText('Running');
  await expect(page.getByTestId('train-eta'), 'no estimate from the steps before the pause').toHaveText('estimating…');
  await shot('02-training');

  // Open B: the question comes first; "Keep training" changes nothing.
  await openRecent('Photos B');
  const question = page.getByTestId('question');
  await expect(question).toContainText('Training is running in Drawings A: stop it at a checkpoint and switch?');
  await shot('03-switch-question');
  await page.getByTestId('question-no').click();
  await expect(question).toHaveCount(0);
  await page.getByTestId('nav-train').click();
  await expect(page.getByTestId('train-status')).toContainText('Running');

  await openRecent('Photos B');
  await page.getByTestId('question-yes').click();
  await expect(page.getByTestId('dataset-counts')).toContainText('6');

  // Back in A: where the run stands, not "Epoch 0 / 0 · Step 0".
  await openRecent('Drawings A');
  await page.getByTestId('nav-train').click();
  await expect(page.getByTestId('train-status')).toContainText('Idle');
  await expect(page.getByTestId('train-epoch')).toContainText('/ 3000');
  const step = Number((await page.getByTestId('train-step').textContent())!.split('/')[0]);
  expect(step).toBeGreaterThan(0);
  await expect(page.getByTestId('train-start')).toHaveText(`Continue training from step ${step}`);
  await expect(page.getByTestId('train-time-best').locator('input')).toBeChecked();
  await expect(page.getByTestId('train-estimate-best'), 'how long, before Start').toContainText(/^≈ [\d,]+ steps, about [\d,]+ passes over your \d+ images: about \d+ (s|min|h)/);

  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toContainText('Running', { timeout: 60_000 });
  await expect.poll(async () => Number((await page.getByTestId('train-step').textContent())!.split('/')[0])).toBeGreaterThan(step + 20);
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toContainText('Idle');
  await expect(page.getByTestId('train-saved')).toContainText(/Saved at step \d+/);
  await expect(page.getByTestId('train-resume')).toBeDisabled();
  await expect(page.getByTestId('train-start')).toHaveText(/Continue training from step \d+/);
  await shot('04-stopped');
});

test('Explore decodes with the restored checkpoint without a click; checkpoints are named by step and age', async () => {
  await page.getByTestId('nav-explore').click();
  const map = page.getByTestId('latent-map');
  await expect(map).toBeVisible({ timeout: 60_000 });
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * 0.4);
  const preview = page.getByTestId('decode-preview');
  await expect(preview).toHaveAttribute('data-checkpoint', /\d+/);
  const newest = await preview.getAttribute('data-checkpoint');
  await page.getByTestId('save-to-gallery').click();

  await page.getByTestId('nav-checkpoints').click();
  const rows = page.getByTestId('checkpoint-row');
  await expect.poll(() => rows.count(), 'older checkpoints are kept to restore').toBeGreaterThan(3);
  const oldest = rows.last();
  const oldId = (await oldest.getAttribute('data-id'))!;
  expect(oldId).not.toBe(newest);
  await oldest.getByTestId('checkpoint-restore').click();
  await expect(oldest).toContainText('exploring');
  await shot('05-checkpoints');

  await page.getByTestId('nav-explore').click();
  await expect(preview).toHaveAttribute('data-checkpoint', oldId);
  await expect(page.getByTestId('decode-checkpoint')).toContainText(/Decoded with the checkpoint at step \d+/);
  await shot('06-explore-restored');

  await page.getByTestId('nav-gallery').click();
  await expect(page.getByTestId('gallery-checkpoint').first()).toHaveText(/^step \d+ · (just now|\d+ min ago)$/);
});

test('exports are big enough to use: a contact sheet at 8× pixel-sharp or smooth, named for what it is', async () => {
  await expect(page.getByTestId('export-scale'), 'about 256 px per image by default').toHaveValue('8');
  await page.getByTestId('export-sheet').click();
  const exported = page.getByTestId('gallery-exported');
  await expect(exported).toHaveAttribute('data-path', / - sheet of 1 - step \d+ - 8x pixel-sharp - sheet-\d{8}-\d{6}\.png$/);
  const sheet = await sharp((await exported.getAttribute('data-path'))!).metadata();
  expect(sheet.width, 'a 32-px image at 8× with its border').toBe(8 * 32 + 2 * 16);

  await page.getByTestId('export-scale').selectOption('4');
  await page.getByTestId('export-resampling').selectOption('smooth');
  await page.getByTestId('export-sheet').click();
  await expect(exported).toHaveAttribute('data-path', / - 4x smooth - /);
  expect((await sharp((await exported.getAttribute('data-path'))!).metadata()).width).toBe(4 * 32 + 2 * 8);
  await shot('07-gallery-export');
});

test('a reload returns to the screen the person was on', async () => {
  await page.getByTestId('nav-checkpoints').click();
  await page.reload();
  await expect(page.getByTestId('nav-checkpoints')).toHaveClass(/active/);
  await expect(page.getByTestId('checkpoint-row').first()).toBeVisible();
});

test('a denoiser hides what it cannot do; a finished folder runs again into a new folder at the strength shown', async ({ studio }) => {
  await createProject('Noisy B', studio.photoFolder, 'denoise');
  await expect(page.getByTestId('dataset-counts')).toContainText('6', { timeout: 60_000 });
  for (const screen of ['explore', 'interpolate', 'gallery']) await expect(page.getByTestId(`nav-${screen}`)).toHaveCount(0);
  await page.getByTestId('nav-train').click();
  await expect(page.getByText('Samples from the prior')).toHaveCount(0);

  await page.getByTestId('nav-denoise').click();
  const out = join(studio.outFolder, 'clean');
  await page.getByTestId('batch-input').fill(studio.photoFolder);
  await page.getByTestId('batch-output').fill(out);
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-report')).toContainText('6 done', { timeout: 120_000 });
  // Each photo's noise, as estimated from it, in the report.
  await expect(page.getByTestId('batch-report-noise')).toHaveCount(6);
  for (const cell of await page.getByTestId('batch-report-noise').all()) await expect(cell).toHaveText(/^σ \d+\.\d \(estimated\)$/);

  // Run again at half strength: nothing new in "clean", so the app offers a new folder beside it.
  await page.getByTestId('denoise-strength').fill('0.5');
  await expect(page.getByTestId('denoise-strength-value')).toHaveText('50%');
  await page.getByTestId('batch-run').click();
  await expect(page.getByTestId('batch-already-done')).toContainText('already denoised');
  await expect(page.getByTestId('batch-report')).not.toContainText('continued an interrupted batch');
  await expect(page.getByTestId('batch-run-again')).toHaveText('Run again at 50% into clean-2');
  await shot('08-denoise-again');
  await page.getByTestId('batch-run-again').click();
  await expect(page.getByTestId('batch-report')).toContainText('6 done', { timeout: 120_000 });
  await expect(page.getByTestId('batch-already-done')).toHaveCount(0);

  const distance = async (file: string) => {
    const [a, b] = await Promise.all([join(studio.photoFolder, 'photo-0.jpg'), file].map((f) => sharp(f).raw().toBuffer()));
    return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
  };
  expect(await distance(join(`${out}-2`, 'photo-0.jpg')), 'the 50% batch stays closer to the original').toBeLessThan(await distance(join(out, 'photo-0.jpg')));

  // One photo with the noise σ set by hand: the result says it was set, and what the estimate was.
  await page.getByTestId('denoise-estimate-noise').uncheck();
  await page.getByTestId('denoise-sigma').fill('30');
  await page.getByTestId('denoise-input').fill(join(studio.photoFolder, 'photo-1.jpg'));
  await page.getByTestId('denoise-run').click();
  await expect(page.getByTestId('denoise-noise')).toHaveText(/^σ 30 \(set; estimated \d+\.\d\)$/, { timeout: 60_000 });
  await shot('09-denoise-sigma-set');
});
