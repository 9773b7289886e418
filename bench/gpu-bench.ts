// GPU vs CPU training speed on ONNX Runtime, for a machine with a GPU (a few minutes): the same training step on
// each execution provider that starts here, img/s side by side. Prints why a provider did not start.
// Usage: npx tsx bench/gpu-bench.ts [--providers cuda,webgpu,cpu] [--sizes 64,128] [--steps 30]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Adam } from '../main/engine/ml/adam';
import { initBackend } from '../main/engine/ml/backends';
import { VaeModel } from '../main/engine/ml/model';
import { OnnxTrainer } from '../main/engine/ml/onnx/trainer';
import { Rng } from '../main/engine/ml/rng';

const { values } = parseArgs({
  options: {
    providers: { type: 'string', default: 'cuda,webgpu,cpu' },
    sizes: { type: 'string', default: '64,128' },
    steps: { type: 'string', default: '30' },
    batch: { type: 'string', default: '64' },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
await initBackend('cpu'); // TF.js only creates the models; every step runs on ONNX Runtime

async function measure(provider: string, size: number): Promise<string> {
  const model = VaeModel.create({ size, latent: 128 }, 0);
  const adam = new Adam(model.params, { lr: 1e-3 });
  let trainer: OnnxTrainer | null = null;
  try {
    trainer = await OnnxTrainer.create(model, adam, { lr: 1e-3, batchSize: batch, threads: availableParallelism(), exampleDims: size * size * 3, provider });
    const rng = new Rng(1);
    const x = Float32Array.from({ length: batch * size * size * 3 }, () => rng.next() * 2 - 1);
    const eps = rng.normals(batch * 128);
    for (let i = 0; i < 3; i++) await trainer.step(adam, VaeModel.batch(x, eps, batch), 1);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await trainer.step(adam, VaeModel.batch(x, eps, batch), 1);
    const ips = (steps * batch) / ((performance.now() - t0) / 1000);
    return `${String(size).padStart(4)}  ${provider.padEnd(8)} ${String(trainer.threads).padStart(2)} session(s)  ${ips.toFixed(1).padStart(9)} img/s`;
  } catch (error) {
    return `${String(size).padStart(4)}  ${provider.padEnd(8)} did not start: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  } finally {
    await trainer?.close();
    adam.dispose();
    model.dispose();
  }
}

console.log(`batch ${batch}, latent 128, ${steps} timed steps; ${availableParallelism()} CPU cores`);
for (const size of values.sizes!.split(',').map(Number)) {
  for (const provider of values.providers!.split(',')) console.log(await measure(provider, size));
}
