// Transparency in the studio (issue 11), walked in Chromium against `vae-studio serve`: a folder of sprites with
// transparent backgrounds becomes a project that keeps alpha, and what the model makes is shown over a
// checkerboard, with the transparency in the pixels themselves (the live canvas, sample sheets, the gallery, and the
// exported contact sheet and GIF).
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { sharedStudioPage } from './shared-page';
import { test } from './studio-fixture';
import { chooseBest } from './user-path';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shot: (name: string) => Promise<void>;
sharedStudioPage('alpha-', (p, s) => {
  page = p;
  shot = s;
});

/** How many of an RGBA byte array's pixels are (nearly) transparent and (nearly) opaque. */
function alphaCounts(rgba: ArrayLike<number>): { transparent: number; opaque: number } {
  let transparent = 0;
  let opaque = 0;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] < 16) transparent++;
    else if (rgba[i] > 240) opaque++;
  }
  return { transparent, opaque };
}

/** The alpha of an <img>'s PNG, fetched as the page sees it. */
async function imageAlpha(testId: string): Promise<{ transparent: number; opaque: number; channels: number }> {
  const bytes = await page.getByTestId(testId).evaluate(async (img) => {
    const response = await fetch((img as unknown as { src: string }).src);
    return Array.from(new Uint8Array(await response.arrayBuffer()));
  });
  const { data, info } = await sharp(Buffer.from(bytes)).raw().toBuffer({ resolveWithObject: true });
  return { ...(info.channels === 4 ? alphaCounts(data) : { transparent: 0, opaque: 0 }), channels: info.channels };
}

/** A checkerboard behind an element: its computed background. */
const background = (testId: string) =>
  page.getByTestId(testId).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundImage: string } }).getComputedStyle(el).backgroundImage);

/** The RGBA pixels a canvas shows. */
interface Canvas2d {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

test('a folder of sprites becomes a project that keeps their transparency', async ({ studio }) => {
  await page.getByTestId('nav-start').click();
  await page.getByTestId('new-project-name').fill('Sprites');
  await page.getByTestId('new-project-size').selectOption('32');
  await expect(page.getByTestId('new-project-alpha')).toHaveValue('auto');
  await page.getByTestId('new-project-folder').fill(studio.spriteFolder);
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('dataset-counts')).toContainText('48', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-alpha')).toContainText('Transparency kept');
  await expect(page.getByTestId('thumb').locator('img').first()).toBeVisible();
  await shot('01-dataset');
});

test('training shows sample sheets with transparent backgrounds over a checkerboard', async () => {
  await page.getByTestId('nav-train').click();
  // Small batches and a brisk rate: a few hundred steps learn the sprites' shapes (an epoch's previews and
  // checkpoint cost more than its steps here, so fewer, longer epochs).
  await chooseBest(page, 40);
  await page.getByTestId('train-batch').fill('8');
  await page.getByLabel('Learning rate').fill('0.003');
  await page.getByTestId('train-start').click();
  // Running first: the status reads "Idle" for a moment after the click, before the run has begun.
  await expect(page.getByTestId('train-status')).toContainText(/running|starting/i);
  await expect(page.getByTestId('train-status')).toContainText(/idle|finished|done/i, { timeout: 200_000 });
  await expect(page.getByTestId('train-step'), 'the run went to its last step').toHaveText(/^(\d+) \/ \1$/);
  await expect(page.getByTestId('preview-samples')).toBeVisible();
  expect(await background('preview-samples')).toContain('conic-gradient');
  const samples = await imageAlpha('preview-samples');
  expect(samples.channels, 'the sample sheet is RGBA').toBe(4);
  expect(samples.transparent).toBeGreaterThan(0);
  expect(samples.opaque).toBeGreaterThan(0);
  await shot('02-trained');
});

test('"surprise me" decodes a sprite onto the canvas: transparent around it, opaque inside, checkerboard behind', async () => {
  await page.getByTestId('nav-explore').click();
  const preview = page.getByTestId('decode-preview');
  await page.getByTestId('surprise').click();
  await expect.poll(async () => Number(await preview.getAttribute('data-frame')), { timeout: 60_000 }).toBeGreaterThan(0);
  expect(await background('decode-preview')).toContain('conic-gradient');
  const pixels: number[] = await preview.evaluate((c) => {
    const canvas = c as unknown as Canvas2d;
    return Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data);
  });
  const { transparent, opaque } = alphaCounts(pixels);
  expect(transparent, 'the background around the sprite').toBeGreaterThan(32 * 32 * 0.2);
  expect(opaque, 'the sprite itself').toBeGreaterThan(32 * 32 * 0.1);
  await shot('03-explore');
});

test('a sample kept in the gallery keeps its transparency', async () => {
  await page.getByTestId('save-to-gallery').click();
  await page.getByTestId('nav-gallery').click();
  const item = page.getByTestId('gallery-item').first();
  await expect(item).toBeVisible();
  const src = await item.locator('img').first().getAttribute('src');
  const bytes = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url!)).arrayBuffer())), src);
  const { data, info } = await sharp(Buffer.from(bytes)).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  const { transparent, opaque } = alphaCounts(data);
  expect(transparent).toBeGreaterThan(0);
  expect(opaque).toBeGreaterThan(0);
  await page.getByTestId('gallery-regenerate').first().click();
  await expect(page.getByTestId('regenerate-result')).toContainText(/identical/i);

  // The contact sheet keeps the transparency: sprites on a transparent sheet, no white boxes.
  await page.getByTestId('export-sheet').click();
  const exported = page.getByTestId('gallery-exported');
  await expect(exported).toHaveAttribute('data-path', /sheet.*\.png$/);
  const sheet = await sharp(readFileSync((await exported.getAttribute('data-path'))!)).raw().toBuffer({ resolveWithObject: true });
  expect(sheet.info.channels).toBe(4);
  expect(alphaCounts(sheet.data).transparent).toBeGreaterThan(0);
  expect(alphaCounts(sheet.data).opaque).toBeGreaterThan(0);
  await shot('04-gallery');
});

test('an interpolation exports a GIF whose frames are transparent around the sprites', async () => {
  await page.getByTestId('nav-interpolate').click();
  const candidates = page.getByTestId('interp-candidate');
  await candidates.nth(0).click();
  await candidates.nth(5).click();
  await page.getByTestId('interp-frames').fill('6');
  await page.getByTestId('interp-play').click();
  await expect(page.getByTestId('interp-frame')).toBeVisible();
  expect(await background('interp-frame')).toContain('conic-gradient');
  await page.getByTestId('export-gif').click();
  const result = page.getByTestId('export-result');
  await expect(result).toHaveAttribute('data-path', /\.gif$/);
  const gif = readFileSync((await result.getAttribute('data-path'))!);
  expect((await sharp(gif).metadata()).pages).toBe(6);
  const { data, info } = await sharp(gif, { pages: -1 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const frame = info.width * (info.height / 6) * 4;
  for (let k = 0; k < 6; k++) {
    const { transparent, opaque } = alphaCounts(data.subarray(k * frame, (k + 1) * frame));
    expect(transparent, `frame ${k + 1}: transparent pixels`).toBeGreaterThan(0);
    expect(opaque, `frame ${k + 1}: opaque pixels`).toBeGreaterThan(0);
  }
  await shot('05-interpolate');
});
