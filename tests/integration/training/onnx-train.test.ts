// Training on ONNX Runtime against the TF.js path: the same seeded run gives the same loss curve within float
// tolerance; a stopped ONNX run resumes bit-identically; and a checkpoint is one format across backends.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train } from '../../../main/engine/operations/train';
import { openProject, type ProjectStore } from '../../../main/engine/store';
import { makeTempFolder, writeArtFolder } from '../files';

const SIZE = 16;
const settings = { kind: 'generate' as const, imageSize: SIZE, latentSize: 8, appVersion: 'test' };
const tmp = makeTempFolder('onnx-train');
const images = join(tmp.dir, 'images');

beforeAll(async () => {
  await writeArtFolder(images, 96, SIZE, 21);
});
afterAll(() => tmp.remove());

async function project(name: string, create = settings): Promise<ProjectStore> {
  const store = openProject(join(tmp.dir, name), { create });
  await importFolder(store, images);
  return store;
}

const weightsHash = (store: ProjectStore) => createHash('sha256').update(store.checkpoints.latest()!.weights).digest('hex');

describe('ONNX training', () => {
  it('follows the TF.js loss curve over 200 steps of the same seeded run', async () => {
    const onnx = await project('curve-onnx.vaestudio');
    const tfjs = await project('curve-tfjs.vaestudio');
    try {
      const opts = { epochs: 1000, maxSteps: 200, batch: 16, seed: 4, threads: 2 };
      const a = await train(onnx, { ...opts, backend: 'onnx' });
      const b = await train(tfjs, { ...opts, backend: 'wasm', threads: 1 });
      expect(a.backend.name).toBe('onnx');
      expect(a.threads).toBe(2);
      expect(b.backend.name).toBe('wasm');
      const curveA = onnx.metrics.list(a.runId, { split: 'train' });
      const curveB = tfjs.metrics.list(b.runId, { split: 'train' });
      expect(curveA.map((p) => p.step)).toEqual(curveB.map((p) => p.step));
      let worst = 0;
      curveA.forEach((p, i) => (worst = Math.max(worst, Math.abs(p.total - curveB[i].total) / curveB[i].total)));
      console.log(`ONNX vs TF.js, 200 steps: loss ${curveA[0].total.toFixed(1)} → ${curveA.at(-1)!.total.toFixed(1)} nats/image; worst relative gap ${worst.toExponential(2)}`);
      expect(curveA.at(-1)!.total).toBeLessThan(curveA[0].total * 0.8);
      expect(worst).toBeLessThan(0.01);
    } finally {
      onnx.close();
      tfjs.close();
    }
  });

  // The spatial network needs a latent that fills its 8×8 grid: a project of its own with latent 64 (one channel).
  for (const [network, latentSize] of [['residual', 8], ['spatial', 64]] as const) {
    it(`trains the ${network} network (--network ${network}) along the same curve on both engines`, async () => {
      const create = { ...settings, latentSize };
      const onnx = await project(`${network}-onnx.vaestudio`, create);
      const tfjs = await project(`${network}-tfjs.vaestudio`, create);
      try {
        const opts = { epochs: 1000, maxSteps: 60, batch: 16, seed: 5, network };
        const a = await train(onnx, { ...opts, backend: 'onnx', threads: 2 });
        const b = await train(tfjs, { ...opts, backend: 'wasm', threads: 1 });
        expect(onnx.runs.get(a.runId)!.config.network).toBe(network);
        const curveA = onnx.metrics.list(a.runId, { split: 'train' });
        const curveB = tfjs.metrics.list(b.runId, { split: 'train' });
        let worst = 0;
        curveA.forEach((p, i) => (worst = Math.max(worst, Math.abs(p.total - curveB[i].total) / curveB[i].total)));
        console.log(`${network}, ONNX vs TF.js, 60 steps: loss ${curveA[0].total.toFixed(1)} → ${curveA.at(-1)!.total.toFixed(1)} nats/image; worst relative gap ${worst.toExponential(2)}`);
        expect(curveA.at(-1)!.total).toBeLessThan(curveA[0].total * 0.9);
        expect(worst).toBeLessThan(0.01);
        // Resuming with the other network is refused with the way out.
        await expect(train(onnx, { network: 'classic', backend: 'onnx' })).rejects.toThrow(new RegExp(`${network} network, not classic.*--new-run`));
      } finally {
        onnx.close();
        tfjs.close();
      }
    });
  }

  it('refuses the spatial network for a latent that does not fill its 8×8 grid, saying why', async () => {
    const store = await project('spatial-misfit.vaestudio');
    try {
      await expect(train(store, { maxSteps: 1, network: 'spatial' })).rejects.toThrow(/8×8 grid, so its size must be a multiple of 64.*this project's is 8: choose another network/);
      expect(store.runs.latest()).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('resumes a stopped run bit-identically', async () => {
    const whole = await project('whole.vaestudio');
    const split = await project('split.vaestudio');
    try {
      const opts = { epochs: 4, batch: 16, seed: 6, backend: 'onnx' as const, checkpointEvery: 3 };
      const uninterrupted = await train(whole, opts);
      const first = await train(split, { ...opts, maxSteps: 7 });
      expect(first.stopped).toBe('max-steps');
      const rest = await train(split, opts);
      expect(rest.resumedFromStep).toBe(7);
      expect(rest.step).toBe(uninterrupted.step);
      expect(weightsHash(split)).toBe(weightsHash(whole));
    } finally {
      whole.close();
      split.close();
    }
  });

  it('continues on TF.js from an ONNX checkpoint, and back', async () => {
    const store = await project('mixed.vaestudio');
    try {
      const opts = { epochs: 3, batch: 16, seed: 8 };
      await train(store, { ...opts, backend: 'onnx', maxSteps: 5 });
      const onWasm = await train(store, { ...opts, backend: 'wasm', maxSteps: 10 });
      expect(onWasm.resumedFromStep).toBe(5);
      const back = await train(store, { ...opts, backend: 'onnx' });
      expect(back.resumedFromStep).toBe(10);
      const val = store.metrics.list(back.runId, { split: 'val' });
      expect(val.at(-1)!.total).toBeLessThan(val[0].total);
    } finally {
      store.close();
    }
  });
});
