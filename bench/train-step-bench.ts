// Before/after timing of one training step of the default model (64×64×3, latent 128, batch 32), wasm, single
// thread: fused training ops off vs on, alternating rounds. Usage: npx tsx bench/train-step-bench.ts [rounds] [steps]
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../main/engine/ml/backends';
import { Adam } from '../main/engine/ml/adam';
import { VaeModel } from '../main/engine/ml/model';
import { Rng } from '../main/engine/ml/rng';
import { setFusedOps } from '../main/engine/ml/fused/switch';

const rounds = Number(process.argv[2] ?? 4);
const steps = Number(process.argv[3] ?? 8);
const batch = 32;
const size = 64;
const latent = 128;
setThreadsCount(1);
await initBackend('wasm');
const model = VaeModel.create({ size, latent }, 0);
const adam = new Adam(model.params, { lr: 1e-3 });
const rng = new Rng(0);
const x = Float32Array.from({ length: batch * size * size * 3 }, () => rng.next() * 2 - 1);
const eps = rng.normals(batch * latent);
const times: Record<string, number[]> = { plain: [], fused: [] };
for (let r = 0; r < rounds; r++) {
  for (const mode of r % 2 === 0 ? ['plain', 'fused'] : ['fused', 'plain']) {
    setFusedOps(mode === 'fused');
    model.trainStep(adam, x, eps, 1); // warm-up
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      model.trainStep(adam, x, eps, 1);
      times[mode].push(performance.now() - t0);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [mode, ts] of Object.entries(times)) {
  console.log(`${mode}: median ${median(ts).toFixed(1)} ms/step, min ${Math.min(...ts).toFixed(1)}, n=${ts.length}`);
}
console.log(`threads=${(await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount()} tensors=${tf.memory().numTensors}`);
