// Transparency end to end: a folder of sprites (RGBA PNGs with transparent backgrounds) becomes a project that keeps
// alpha; the model trains on four channels and its samples, reconstructions and animations come out with
// transparent backgrounds and opaque sprites. A folder of opaque images stays RGB, and a person can switch.
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolate, reconstruct, sample } from '../../../main/engine/operations/generate';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train } from '../../../main/engine/operations/train';
import { openProject, type ProjectStore } from '../../../main/engine/store';
import { writeSpriteFolder } from '../../fixtures/sprites';
import { makeTempFolder, writeArtFolder } from '../files';

const SIZE = 16;
const PAD = 2;
const settings = { kind: 'generate' as const, imageSize: SIZE, latentSize: 8, appVersion: 'test' };
const tmp = makeTempFolder('alpha');
const sprites = join(tmp.dir, 'sprites');
const art = join(tmp.dir, 'art');
const out = (name: string) => join(tmp.dir, name);
let store: ProjectStore;

beforeAll(async () => {
  await writeSpriteFolder(sprites, 48, SIZE);
  await writeArtFolder(art, 24, SIZE);
  store = openProject(out('sprites.vaestudio'), { create: settings });
});
afterAll(() => {
  store?.close();
  tmp.remove();
});

/** Alpha values of a PNG or GIF (every frame), RGBA-decoded; also whether the file itself has an alpha channel. */
async function alphaOf(file: string): Promise<{ hasAlpha: boolean; alpha: number[]; width: number }> {
  const meta = await sharp(file).metadata();
  const { data, info } = await sharp(file, { pages: -1 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { hasAlpha: meta.hasAlpha === true, alpha: Array.from(data.filter((_, i) => i % 4 === 3)), width: info.width };
}

/** Alpha of tile (col, row) of a contact sheet of SIZE-pixel tiles: its four corners and its centre. */
function cornersAndCentre(alpha: number[], width: number, col: number, row: number): { corners: number[]; centre: number } {
  const at = (x: number, y: number) => alpha[(PAD + row * (SIZE + PAD) + y) * width + PAD + col * (SIZE + PAD) + x];
  return { corners: [at(0, 0), at(SIZE - 1, 0), at(0, SIZE - 1), at(SIZE - 1, SIZE - 1)], centre: at(SIZE / 2, SIZE / 2) };
}

describe('a project of sprites keeps their transparency', () => {
  it('decides at the first import that the images have alpha, and trains on four channels', async () => {
    const report = await importFolder(store, sprites);
    expect(report.counts.ok).toBe(48);
    expect(report.imageChannels).toBe(4);
    expect(store.getSettings()).toMatchObject({ alpha: 'auto', imageChannels: 4 });
    const trained = await train(store, { epochs: 1000, maxSteps: 300, batch: 16, lr: 3e-3, seed: 3, backend: 'onnx' });
    expect(trained.backend.name).toBe('onnx');
    expect(store.runs.get(trained.runId)!.config.imageChannels).toBe(4);
    const curve = store.metrics.list(trained.runId, { split: 'train' });
    expect(curve.at(-1)!.total).toBeLessThan(curve[0].total * 0.7);
  });

  it('samples sprites with transparent corners and opaque centres', async () => {
    await sample(store, { out: out('samples.png'), count: 9, seed: 5 });
    const { hasAlpha, alpha, width } = await alphaOf(out('samples.png'));
    expect(hasAlpha).toBe(true);
    for (let k = 0; k < 9; k++) {
      const { corners, centre } = cornersAndCentre(alpha, width, k % 3, Math.floor(k / 3));
      expect(Math.max(...corners), `sample ${k}'s corners`).toBeLessThan(40);
      expect(centre, `sample ${k}'s centre`).toBeGreaterThan(200);
    }
  });

  it('reconstructs a sprite the model has not seen with its transparency', async () => {
    const unseen = out('unseen');
    await writeSpriteFolder(unseen, 1, SIZE, 99);
    await reconstruct(store, { images: [join(unseen, 'sprite-000.png')], out: out('recon.png') });
    const { hasAlpha, alpha, width } = await alphaOf(out('recon.png'));
    expect(hasAlpha).toBe(true);
    for (const col of [0, 1]) {
      const { corners, centre } = cornersAndCentre(alpha, width, col, 0); // the input above, its reconstruction below
      expect(Math.max(...corners)).toBeLessThan(40);
      expect(centre).toBeGreaterThan(200);
    }
  });

  it('writes an interpolation GIF whose background is transparent in every frame', async () => {
    await interpolate(store, { a: join(sprites, 'sprite-000.png'), b: join(sprites, 'sprite-001.png'), out: out('morph.gif'), frames: 6 });
    const meta = await sharp(out('morph.gif')).metadata();
    expect(meta.pages).toBe(6);
    const { alpha } = await alphaOf(out('morph.gif'));
    for (let frame = 0; frame < 6; frame++) {
      const pixels = alpha.slice(frame * SIZE * SIZE, (frame + 1) * SIZE * SIZE);
      expect(pixels[0], `frame ${frame}'s corner`).toBe(0);
      expect(pixels[(SIZE / 2) * SIZE + SIZE / 2], `frame ${frame}'s centre`).toBe(255);
    }
  });
});

describe('choosing what happens to transparency', () => {
  it('keeps a folder of opaque images RGB, and writes RGB samples', async () => {
    const rgb = openProject(out('art.vaestudio'), { create: settings });
    try {
      expect((await importFolder(rgb, art)).imageChannels).toBe(3);
      await train(rgb, { epochs: 1000, maxSteps: 4, batch: 8, seed: 1, backend: 'wasm' });
      await sample(rgb, { out: out('art-samples.png'), count: 4, seed: 1 });
      const meta = await sharp(out('art-samples.png')).metadata();
      expect([meta.channels, meta.hasAlpha]).toEqual([3, false]);
    } finally {
      rgb.close();
    }
  });

  it('flattens sprites over white when asked, and switching later prepares every image again', async () => {
    const flat = openProject(out('flat.vaestudio'), { create: { ...settings, alpha: 'flatten' } });
    try {
      expect((await importFolder(flat, sprites)).imageChannels).toBe(3);
      const corner = () => Array.from(flat.images.loadPixels('train').data.subarray(0, 3));
      expect(corner()).toEqual([255, 255, 255]); // transparent corners became white
      await train(flat, { epochs: 1000, maxSteps: 3, batch: 8, seed: 1, backend: 'wasm' });

      // Importing again unchanged does nothing; asking to keep alpha prepares all 48 again as RGBA.
      expect((await importFolder(flat, sprites)).reprepared).toBe(0);
      const switched = await importFolder(flat, sprites, {}, { alpha: 'keep' });
      expect([switched.imageChannels, switched.reprepared, switched.unchanged]).toEqual([4, 48, 0]);
      expect(flat.images.loadPixels('train').data.length).toBe(flat.images.loadPixels('train').count * SIZE * SIZE * 4);

      // The RGB checkpoint still samples as before; its run cannot continue on RGBA images, a new run can.
      await sample(flat, { out: out('flat-samples.png'), count: 4, seed: 2 });
      expect((await sharp(out('flat-samples.png')).metadata()).hasAlpha).toBe(false);
      await expect(train(flat, { epochs: 1000, maxSteps: 6, backend: 'wasm' })).rejects.toThrow(
        /trains on RGB images, but the project's images are now RGBA images \(transparency kept\); pass --new-run/,
      );
      const fresh = await train(flat, { epochs: 1000, maxSteps: 3, batch: 8, seed: 1, backend: 'wasm', newRun: true });
      expect(flat.runs.get(fresh.runId)!.config.imageChannels).toBe(4);
      await sample(flat, { out: out('flat-rgba.png'), count: 4, seed: 2 });
      expect((await sharp(out('flat-rgba.png')).metadata()).hasAlpha).toBe(true);
    } finally {
      flat.close();
    }
  });
});
