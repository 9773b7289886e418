// Large inference batches split over helper threads give the rows one session gives, survive a helper that
// dies, and never keep a finished process alive.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { describeArchitecture } from '../architecture';
import { VaeModel } from '../model';
import { paramSpecs } from '../params';
import { Rng } from '../rng';
import { InferencePool } from './inference-pool';
import { onnxWeights } from './layout';
import { encodeModel } from './proto';
import { SyncSession } from './sync-session';
import { vaeDecoderGraph } from './vae-graphs';

const arch = describeArchitecture({ size: 32, latent: 16 });
let bytes: Uint8Array;
let session: SyncSession;
beforeAll(async () => {
  await initBackend('onnx');
  const model = VaeModel.create({ size: 32, latent: 16 }, 3);
  const specs = paramSpecs(arch);
  bytes = encodeModel(vaeDecoderGraph(arch, specs, onnxWeights(model.params, specs.filter((s) => s.name.startsWith('dec')))));
  session = SyncSession.create(bytes);
  model.dispose();
});
afterAll(() => session.dispose());

const local = (rows: Float32Array, count: number) => session.run({ z: rows }, { z: [count, 16] });
const request = { key: 'dec', input: 'z', rowShape: [16], outputs: { mean: 32 * 32 * 3 } };

async function readyPool(helpers: number): Promise<InferencePool> {
  const pool = new InferencePool(helpers);
  pool.load('dec', bytes);
  const deadline = Date.now() + 60_000;
  while (pool.ready('dec') < helpers && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(pool.ready('dec')).toBe(helpers);
  return pool;
}

describe('inference pool', () => {
  it('splits a large batch over helper threads and returns every row as one session computes it', async () => {
    const pool = await readyPool(2);
    const z = new Rng(1).normals(37 * 16);
    const got = pool.run(request, z, 37, local).mean;
    expect(pool.rowsOnHelpers).toBeGreaterThan(0);
    expect(Array.from(got)).toEqual(Array.from(local(z, 37).mean));
    // Small batches stay on the calling thread.
    pool.rowsOnHelpers = 0;
    pool.run(request, new Rng(2).normals(3 * 16), 3, local);
    expect(pool.rowsOnHelpers).toBe(0);
    await pool.close();
  }, 90_000);

  it('computes a dead helper’s rows itself', async () => {
    const pool = await readyPool(1);
    await pool.close(); // the helper thread is gone
    const z = new Rng(3).normals(16 * 16);
    expect(Array.from(pool.run(request, z, 16, local).mean)).toEqual(Array.from(local(z, 16).mean));
    expect(pool.rowsOnHelpers).toBe(0);
  }, 90_000);

  it('lets a process that used it exit on its own', () => {
    const script = `
      import { initBackend } from './main/engine/ml/backends/index.ts';
      import { VaeModel } from './main/engine/ml/model.ts';
      import { Rng } from './main/engine/ml/rng.ts';
      await initBackend('onnx');
      const model = VaeModel.create({ size: 32, latent: 16 }, 0);
      const z = new Rng(0).normals(64 * 16);
      const until = Date.now() + 3000;
      while (Date.now() < until) { model.decode(z); await new Promise((r) => setImmediate(r)); }
      console.log('decoded');`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, VAE_STUDIO_INFERENCE_THREADS: '2' } });
    expect(out).toContain('decoded');
  }, 90_000);
});
