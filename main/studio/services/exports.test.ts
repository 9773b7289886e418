import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempFolder } from '../../engine/store/test-support/temp-folder';
import { createExploreHandlers } from './explore';
import { createExportsHandlers } from './exports';
import { exportsService } from '../../../shared/services/exports';
import type { z } from 'zod';
import { createTestApp, type TestApp } from './test-context';

const tempFolder = useTempFolder();
let open: TestApp | undefined;
afterEach(() => open?.close());

const ctx = { emit: () => undefined };

/** The handlers called as the dispatcher calls them: inputs through the contract, defaults filled in. */
function asDispatched(handlers: ReturnType<typeof createExportsHandlers>) {
  const m = exportsService.methods;
  type In<K extends keyof typeof m> = z.input<(typeof m)[K]['input']>;
  return {
    png: (input: In<'png'>, c = ctx) => handlers.png(m.png.input.parse(input), c),
    sheet: (input: In<'sheet'>, c = ctx) => handlers.sheet(m.sheet.input.parse(input), c),
    strip: (input: In<'strip'>, c = ctx) => handlers.strip(m.strip.input.parse(input), c),
    gif: (input: In<'gif'>, c = ctx) => handlers.gif(m.gif.input.parse(input), c),
    decoderModel: (input: In<'decoderModel'>, c = ctx) => handlers.decoderModel(m.decoderModel.input.parse(input), c),
  };
}

async function setup() {
  open = await createTestApp(tempFolder(), { images: 1 });
  return { ...open, exports: asDispatched(createExportsHandlers(open.app)), explore: createExploreHandlers(open.app) };
}
const latentOf = (v: number) => Array.from({ length: 8 }, (_, i) => (i % 2 ? v : -v));
const raw = async (file: string) => sharp(file).raw().toBuffer({ resolveWithObject: true });

describe('exports.png', () => {
  it('writes the decoded image under a new name in the exports folder, downloadable as media', async () => {
    const { exports, explore, exportsFolder, media } = await setup();
    const first = await exports.png({ latent: latentOf(1), scale: 1 }, ctx);
    const second = await exports.png({ latent: latentOf(1), scale: 1 }, ctx);
    expect(first.path.startsWith(exportsFolder)).toBe(true);
    expect(second.path).not.toBe(first.path);
    const { data, info } = await raw(first.path);
    expect(info).toMatchObject({ width: 16, height: 16, channels: 3 });
    const decoded = Buffer.from((await explore.decode({ latent: latentOf(1) }, ctx)).rgb, 'base64');
    expect(data.equals(decoded)).toBe(true);
    expect(await media(first.media!)).toMatchObject({ file: first.path, mime: 'image/png' });
    expect(readdirSync(exportsFolder).filter((name) => name.startsWith('.'))).toEqual([]); // no temp files left
  });

  it('upscales by a whole factor with nearest-neighbour blocks', async () => {
    const { exports } = await setup();
    const small = await raw((await exports.png({ latent: latentOf(2), scale: 1 }, ctx)).path);
    const big = await raw((await exports.png({ latent: latentOf(2), scale: 3 }, ctx)).path);
    expect(big.info).toMatchObject({ width: 48, height: 48 });
    for (const [x, y] of [[0, 0], [5, 9], [15, 15]]) {
      const want = small.data.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
      for (const [dx, dy] of [[0, 0], [2, 1], [1, 2]]) {
        const at = ((y * 3 + dy) * 48 + x * 3 + dx) * 3;
        expect([...big.data.subarray(at, at + 3)]).toEqual([...want]);
      }
    }
  });

  it('never replaces a file of the user, refuses a wrong extension and a wrong latent, and leaves no placeholder', async () => {
    const { exports, exportsFolder } = await setup();
    const mine = join(tempFolder(), 'mine.png');
    writeFileSync(mine, 'precious');
    await expect(exports.png({ latent: latentOf(1), path: mine, scale: 1 }, ctx)).rejects.toThrow(/already exists and was not made by this app/);
    expect(readFileSync(mine, 'utf8')).toBe('precious');
    await expect(exports.png({ latent: latentOf(1), path: join(tempFolder(), 'x.jpg'), scale: 1 }, ctx)).rejects.toThrow(/must end in \.png/);
    await expect(exports.png({ latent: [1, 2], scale: 1 }, ctx)).rejects.toThrow("The latent has 2 values, but this project's latents have 8.");
    await expect(exports.sheet({ latents: [latentOf(1), [1]] }, ctx)).rejects.toThrow('Latent 2 has 1 values');
    expect(existsSync(exportsFolder) ? readdirSync(exportsFolder) : []).toEqual([]);
    // A generated name in the exports folder may be written again (e.g. exporting to the suggested path twice).
    const generated = await exports.png({ latent: latentOf(1), scale: 1 }, ctx);
    expect((await exports.png({ latent: latentOf(3), path: generated.path, scale: 2 }, ctx)).path).toBe(generated.path);
    expect((await raw(generated.path)).info.width).toBe(32);
    const chosen = join(tempFolder(), 'chosen.png');
    expect((await exports.png({ latent: latentOf(1), path: chosen, scale: 1 }, ctx)).path).toBe(chosen);
  });
});

describe('exports.sheet and exports.strip', () => {
  it('lays the images out in a grid with the asked columns, or in one row', async () => {
    const { exports } = await setup();
    const latents = [1, 2, 3, 4, 5].map(latentOf);
    const sheet = await raw((await exports.sheet({ latents, columns: 2, scale: 1 }, ctx)).path);
    expect(sheet.info).toMatchObject({ width: 2 * 16 + 3 * 2, height: 3 * 16 + 4 * 2 });
    const strip = await raw((await exports.strip({ latents, scale: 1 }, ctx)).path);
    expect(strip.info).toMatchObject({ width: 5 * 16 + 6 * 2, height: 16 + 2 * 2 });
  });

  it('enlarges a sheet to a useful size by default, pixel-sharp or smooth as asked, named for what it is', async () => {
    const { exports } = await setup();
    const latents = [1, 2, 3, 4].map(latentOf);
    const sharpSheet = await exports.sheet({ latents, columns: 2 }, ctx);
    // 16-px images enlarged 8× (the most by default), with padding scaled too.
    const info = (await raw(sharpSheet.path)).info;
    expect(info).toMatchObject({ width: 2 * 128 + 3 * 16, height: 2 * 128 + 3 * 16 });
    expect(sharpSheet.path).toMatch(/test - sheet of 4 - step 1 - 8x pixel-sharp - sheet-\d{8}-\d{6}\.png$/);
    const smooth = await exports.sheet({ latents, columns: 2, resampling: 'smooth' }, ctx);
    expect(smooth.path).toMatch(/8x smooth/);
    // Pixel-sharp: every 8×8 block is one colour; smooth: not.
    const blocky = async (file: string) => {
      const { data, info } = await raw(file);
      let uniform = 0;
      for (let by = 0; by < 16; by++)
        for (let bx = 0; bx < 16; bx++) {
          const at = (x: number, y: number) => ((16 + by * 8 + y) * info.width + 16 + bx * 8 + x) * 3;
          let same = true;
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) same &&= data[at(x, y) + c] === data[at(0, 0) + c];
          if (same) uniform++;
        }
      return uniform / 256;
    };
    expect(await blocky(sharpSheet.path)).toBe(1);
    expect(await blocky(smooth.path)).toBeLessThan(0.9);
    const big = await exports.png({ latent: latentOf(1), scale: 4, resampling: 'smooth' }, ctx);
    expect((await raw(big.path)).info).toMatchObject({ width: 64, height: 64 });
    expect(big.path).toMatch(/test - image - step 1 - 4x smooth - image-/);
  });
});

describe('exports.gif', () => {
  it('has one frame per latent, in order, at the asked frame rate', async () => {
    const { exports, progress } = await setup();
    const latents = Array.from({ length: 40 }, (_, i) => latentOf(i / 10));
    const result = await exports.gif({ latents, fps: 10, jobId: 'gif-1', scale: 1 }, ctx);
    expect(result.frames).toBe(40);
    const gif = readFileSync(result.path);
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    const meta = await sharp(gif, { pages: -1 }).metadata();
    expect(meta).toMatchObject({ format: 'gif', pages: 40, width: 16, pageHeight: 16 });
    expect(meta.delay).toEqual(Array(40).fill(100));
    // Frames in order: the first and last frames differ as the first and last latents' images do.
    const frames = await sharp(gif, { pages: -1 }).raw().toBuffer();
    const frameBytes = 16 * 16 * 4;
    expect(frames.subarray(0, frameBytes).equals(frames.subarray(39 * frameBytes))).toBe(false);
    expect(progress.filter((p) => p.jobId === 'gif-1').at(-1)?.event.message).toBe('Decoded 40 of 40 frames');
  });
});

describe('exports.decoderModel', () => {
  it('writes a TF.js layers model that loads back and decodes as ours does', async () => {
    const { exports, app } = await setup();
    const result = await exports.decoderModel({}, ctx);
    expect(result.path, 'named for what it is').toMatch(/test - decoder - step 1 - decoder-\d{8}-\d{6}$/);
    expect(result.media).toBeNull();
    const json = JSON.parse(readFileSync(join(result.path, 'model.json'), 'utf8'));
    const weights = readFileSync(join(result.path, json.weightsManifest[0].paths[0]));
    const loaded = await tf.loadLayersModel({
      load: async () => ({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    });
    const { model } = await app.session.model();
    const z = Float32Array.from({ length: 4 * 8 }, (_, i) => Math.sin(i * 1.7) * 2);
    const theirs = tf.tidy(() => (loaded.predict(tf.tensor2d(z, [4, 8])) as tf.Tensor).dataSync());
    const ours = model.decodeMean(z);
    let worst = 0;
    ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - theirs[i]))));
    expect(worst).toBeLessThan(1e-4);
    loaded.dispose();
  });

  it('refuses a folder that already holds a model', async () => {
    const { exports } = await setup();
    const folder = join(tempFolder(), 'my-model');
    mkdirSync(folder);
    await exports.decoderModel({ folder }, ctx);
    await expect(exports.decoderModel({ folder }, ctx)).rejects.toThrow(/already holds a model\.json; choose an empty or new folder/);
  });
});
