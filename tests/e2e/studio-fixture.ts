// A running `vae-studio serve` with its own home folder and fixture image folders, shared by one worker's tests.
import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../main/engine/ml/rng';
import { writeSpriteFolder } from '../fixtures/sprites';
import { drawSyntheticArt } from '../fixtures/synthetic-art';

export const REPO = resolve(import.meta.dirname, '../..');
const NODE = existsSync(join(REPO, 'node_modules/.bin/node')) ? join(REPO, 'node_modules/.bin/node') : process.execPath;

export interface StudioFolders {
  /** 24 good 32-px drawings plus the three planted bad files. */
  artFolder: string;
  /** Six noisy 96×80 "photos" for the denoiser. */
  photoFolder: string;
  /** 48 sprites, 32 px: RGBA PNGs with transparent backgrounds. */
  spriteFolder: string;
  /** Where the tests write and screenshots go. */
  outFolder: string;
}

export interface Studio extends StudioFolders {
  url: string;
  home: string;
}

export const PLANTED_BAD_FILES = ['empty.png', 'truncated.png', 'notes.jpg'];

export const SCREENSHOTS = resolve(REPO, process.env.E2E_SCREENSHOTS ?? 'test-results/screenshots');

async function art(seed: number, size: number): Promise<Buffer> {
  const pixels = drawSyntheticArt(new Rng(seed), size);
  return sharp(Buffer.from(pixels), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

async function noisyPhoto(seed: number, width: number, height: number): Promise<Buffer> {
  const rng = new Rng(seed);
  const side = Math.max(width, height);
  const clean = drawSyntheticArt(rng, side);
  const noisy = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const v = clean[(y * side + x) * 3 + c] + (rng.next() - 0.5) * 60;
        noisy[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return sharp(noisy, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

export async function makeFolders(root: string): Promise<StudioFolders> {
  const artFolder = join(root, 'my drawings');
  const photoFolder = join(root, 'noisy photos');
  const outFolder = join(root, 'out');
  for (const dir of [artFolder, photoFolder, outFolder]) mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 24; i++) writeFileSync(join(artFolder, `drawing-${String(i).padStart(2, '0')}.png`), await art(500 + i, 32));
  const good = await art(7, 32);
  writeFileSync(join(artFolder, 'empty.png'), Buffer.alloc(0));
  writeFileSync(join(artFolder, 'truncated.png'), good.subarray(0, Math.floor(good.length / 2)));
  writeFileSync(join(artFolder, 'notes.jpg'), 'These are my notes, not a picture.\n');
  for (let i = 0; i < 6; i++) writeFileSync(join(photoFolder, `photo-${i}.jpg`), await noisyPhoto(900 + i, 96, 80));
  const spriteFolder = await writeSpriteFolder(join(root, 'my sprites'), 48, 32, 3);
  return { artFolder, photoFolder, spriteFolder, outFolder };
}

function startServer(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(NODE, [join(REPO, 'bin/vae-studio.js'), 'serve', '--port', '0', '--json', '--no-open'], {
    cwd: REPO,
    env: { ...process.env, VAE_STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`vae-studio serve did not say ready in 60 s:\n${stdout}\n${stderr}`)), 60_000);
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      stdout += d;
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        const event = JSON.parse(line) as { event: string; url?: string };
        if (event.event === 'ready' && event.url) {
          clearTimeout(timer);
          resolvePromise({ url: event.url, child });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vae-studio serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

export const test = base.extend<object, { studio: Studio }>({
  studio: [
    async ({}, use) => {
      const root = mkdtempSync(join(tmpdir(), 'vae-e2e-'));
      const home = join(root, 'home');
      mkdirSync(home);
      const folders = await makeFolders(root);
      const { url, child } = await startServer(home);
      await use({ url, home, ...folders });
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
