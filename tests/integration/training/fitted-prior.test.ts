// Samples come from a density fitted to what the model learned: it is saved with each run's last checkpoint,
// `sample` uses it by default (N(0, I) on request or for older checkpoints), and its samples lie closer to the
// training images than N(0, I)'s do after a short training run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaeModel } from '../../../main/engine/ml/model';
import { unpackTensors } from '../../../main/engine/ml/params';
import { sample } from '../../../main/engine/operations/generate';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train } from '../../../main/engine/operations/train';
import { openProject, type ProjectStore } from '../../../main/engine/store';
import { makeTempFolder, writeArtFolder } from '../files';

const SIZE = 16;
const tmp = makeTempFolder('fitted-prior');
let store: ProjectStore;

beforeAll(async () => {
  await writeArtFolder(join(tmp.dir, 'images'), 120, SIZE, 31);
  store = openProject(join(tmp.dir, 'p.vaestudio'), { create: { kind: 'generate', imageSize: SIZE, latentSize: 16, appVersion: 'test' } });
  await importFolder(store, join(tmp.dir, 'images'));
  await train(store, { epochs: 25, batch: 16, seed: 2, lr: 3e-3 });
});
afterAll(() => {
  store.close();
  tmp.remove();
});

/** Mean over a sheet's tiles of the squared distance to the nearest training image (8-bit units). */
async function distanceToData(file: string, count: number): Promise<number> {
  const { data, info } = await sharp(readFileSync(file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const train = store.images.loadPixels('train');
  const per = SIZE * SIZE * 3;
  const cols = Math.ceil(Math.sqrt(count));
  const pad = (info.width - cols * SIZE) / (cols + 1);
  let total = 0;
  for (let t = 0; t < count; t++) {
    const x0 = pad + (t % cols) * (SIZE + pad);
    const y0 = pad + Math.floor(t / cols) * (SIZE + pad);
    let best = Infinity;
    for (let j = 0; j < train.count; j++) {
      let d = 0;
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE * 3; x++) d += (data[((y0 + y) * info.width + x0) * 3 + x] - train.data[j * per + y * SIZE * 3 + x]) ** 2;
      }
      best = Math.min(best, d / per);
    }
    total += best;
  }
  return total / count;
}

describe('the fitted prior', () => {
  it('is saved with the last checkpoint', () => {
    const names = unpackTensors(store.checkpoints.latest()!.weights).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['prior/weights', 'prior/means', 'prior/cholLower']));
  });

  it('is what sample uses by default, and its samples lie closer to the training images than N(0, I)\'s', async () => {
    const fitted = await sample(store, { out: join(tmp.dir, 'fitted.png'), count: 16, seed: 4 });
    const standard = await sample(store, { out: join(tmp.dir, 'standard.png'), count: 16, seed: 4, prior: 'standard' });
    expect(fitted.prior).toBe('fitted');
    expect(standard.prior).toBe('standard');
    const near = await distanceToData(fitted.out, 16);
    const far = await distanceToData(standard.out, 16);
    console.log(`mean squared distance to the nearest training image: fitted prior ${near.toFixed(0)}, N(0, I) ${far.toFixed(0)}`);
    expect(near).toBeLessThan(far);
  });

  it('regenerates exactly from the checkpoint, and a checkpoint without one samples from N(0, I)', async () => {
    const again = await sample(store, { out: join(tmp.dir, 'again.png'), count: 16, seed: 4 });
    expect(readFileSync(again.out)).toEqual(readFileSync(join(tmp.dir, 'fitted.png')));
    const model = VaeModel.create({ size: SIZE, latent: 16 }, 0);
    const withPrior = store.checkpoints.latest()!.weights;
    const paramsOnly = Buffer.from(model.serialize());
    model.load(paramsOnly);
    expect(model.samplePrior(2, 1).prior).toBe('standard');
    model.load(withPrior);
    expect(model.samplePrior(2, 1).prior).toBe('fitted');
    model.dispose();
  });
});
