// Does the engine learn what PyTorch learns? Both train the same network from the same starting weights on the same
// batches (the engine on ONNX Runtime, PyTorch through bench/reference/torch_parity.py), at equal steps, with the
// likelihood and KL of the product (β = 1, Adam, constant learning rate); then each scores the same held-out images.
// Noise draws are each side's own, so the curves agree statistically, not bit for bit: the check is that the
// held-out negative ELBO lands within 1 %.
// Usage: npx tsx bench/elbo-parity.ts [--network spatial] [--latent 512] [--dataset emoji] [--steps 3000]
//          [--batch 32] [--val 500] [--threads 2] [--torch-threads 1] [--seed 0] [--out bench/out/elbo-parity]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Adam } from '../main/engine/ml/adam';
import { NETWORKS, type Network } from '../main/engine/ml/architecture';
import { initBackend } from '../main/engine/ml/backends';
import { gatherBatch } from '../main/engine/ml/batches';
import { bitsPerDim } from '../main/engine/ml/loss';
import { VaeModel } from '../main/engine/ml/model';
import { Rng } from '../main/engine/ml/rng';
import { createStepper } from '../main/engine/operations/training/stepper';
import { preparedFolder, QUALITY_DATASETS } from './quality/datasets';
import { forEachLimited } from './quality/datasets/prepared-folder';

const { values } = parseArgs({
  options: {
    network: { type: 'string', default: 'spatial' },
    latent: { type: 'string', default: '512' },
    dataset: { type: 'string', default: 'emoji' },
    steps: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '32' },
    val: { type: 'string', default: '500' },
    lr: { type: 'string', default: '1e-3' },
    'eval-draws': { type: 'string', default: '4' },
    'log-every': { type: 'string', default: '250' },
    threads: { type: 'string', default: '2' },
    'torch-threads': { type: 'string', default: '1' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/out/elbo-parity' },
  },
});
const network = values.network as Network;
if (!NETWORKS.includes(network)) throw new Error(`--network: unknown network ${network} (known: ${NETWORKS.join(', ')})`);
const dataset = QUALITY_DATASETS[values.dataset!];
if (!dataset) throw new Error(`--dataset: unknown dataset ${values.dataset} (known: ${Object.keys(QUALITY_DATASETS).join(', ')})`);
const [latent, steps, batch, valCount, seed] = [values.latent, values.steps, values.batch, values.val, values.seed].map(Number);
const [lr, evalDraws, logEvery] = [Number(values.lr), Number(values['eval-draws']), Number(values['log-every'])];
const size = dataset.imageSize;
const dims = size * size * 3;
const out = join(values.out!, `${dataset.name}-${network}`);
mkdirSync(out, { recursive: true });

/** Every image of the dataset as packed RGB bytes, in file-name order. */
async function loadImages(): Promise<Uint8Array[]> {
  const folder = await preparedFolder(dataset, 'bench/out/quality/datasets', console.log);
  const files = readdirSync(folder).filter((f) => f.endsWith('.png')).sort();
  const images: Uint8Array[] = new Array(files.length);
  await forEachLimited(files, 4, async (file, i) => {
    const raw = await sharp(join(folder, file)).removeAlpha().resize(size, size, { fit: 'fill' }).raw().toBuffer();
    images[i] = new Uint8Array(raw);
  });
  return images;
}

const concat = (parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.length * dims);
  parts.forEach((p, i) => all.set(p, i * dims));
  return all;
};

const images = await loadImages();
const shuffled = new Rng(seed + 1).permutation(images.length);
const val = concat([...shuffled.subarray(0, valCount)].map((i) => images[i]));
const train = concat([...shuffled.subarray(valCount)].map((i) => images[i]));
const trainCount = images.length - valCount;
// Batches walk a fresh permutation each epoch, as the product's loader does.
const order = new Int32Array(steps * batch);
const orderRng = new Rng(seed + 2);
for (let filled = 0; filled < order.length; ) {
  const epoch = orderRng.permutation(trainCount);
  const take = Math.min(epoch.length, order.length - filled);
  order.set(epoch.subarray(0, take), filled);
  filled += take;
}

const model = VaeModel.create({ size, latent, network }, seed);
writeFileSync(join(out, 'init.bin'), model.serialize());
writeFileSync(join(out, 'train.u8'), train);
writeFileSync(join(out, 'val.u8'), val);
writeFileSync(join(out, 'order.i32'), new Uint8Array(order.buffer));
writeFileSync(join(out, 'spec.json'), JSON.stringify({ network, size, latent, batch, steps, lr, beta: 1, eval_draws: evalDraws, log_every: logEvery, seed }));
console.log(`${dataset.name}: ${trainCount} training and ${valCount} held-out images at ${size}×${size}; network ${network}, latent ${latent}; ${steps} steps of batch ${batch}, lr ${lr}, β 1`);

/** Mean held-out recon NLL and KL, nats per image, over `evalDraws` noise draws. */
const valUnit = gatherBatch(val, size, Array.from({ length: valCount }, (_, i) => i));
function heldOut(rng: Rng): { recon: number; kl: number } {
  let recon = 0;
  let kl = 0;
  for (let d = 0; d < evalDraws; d++) {
    for (let from = 0; from < valCount; from += 250) {
      const n = Math.min(250, valCount - from);
      const terms = model.lossPerImage(valUnit.subarray(from * dims, (from + n) * dims), rng.normals(n * latent));
      recon += terms.recon.reduce((a, b) => a + b, 0);
      kl += terms.kl.reduce((a, b) => a + b, 0);
    }
  }
  return { recon: recon / (evalDraws * valCount), kl: kl / (evalDraws * valCount) };
}

const backend = await initBackend('onnx');
const adam = new Adam(model.params, { lr });
const stepper = await createStepper(model, adam, backend, { lr, batchSize: batch, threads: Number(values.threads), exampleDims: dims });
const evalRng = new Rng(seed + 3);
const start = heldOut(evalRng);
const noise = new Rng(seed + 4);
const curve: number[] = [];
let window = 0;
const began = performance.now();
for (let step = 0; step < steps; step++) {
  const x = gatherBatch(train, size, order.subarray(step * batch, (step + 1) * batch));
  const terms = await stepper.step(adam, VaeModel.batch(x, noise.normals(batch * latent), batch), 1);
  window += terms.total;
  if ((step + 1) % logEvery === 0) {
    curve.push(window / logEvery);
    window = 0;
  }
}
const engineSeconds = (performance.now() - began) / 1000;
stepper.sync(adam);
const engine = heldOut(evalRng);
await stepper.close();
console.log(`engine (${backend.name}, ${stepper.threads} threads): ${steps} steps in ${engineSeconds.toFixed(0)} s`);

const began2 = performance.now();
const script = join(import.meta.dirname, 'reference', 'torch_parity.py');
const torchOut = execFileSync(process.env.VAE_STUDIO_TORCH_PYTHON ?? '/usr/bin/python3', [script, '--dir', out, '--threads', values['torch-threads']!], {
  encoding: 'utf8',
  maxBuffer: 1 << 24,
});
const torch = JSON.parse(torchOut.trim().split('\n').pop()!) as { torch: string; threads: number; start_elbo: number; recon: number; kl: number; elbo: number; curve: number[] };
console.log(`pytorch ${torch.torch} (${torch.threads} threads): ${steps} steps in ${((performance.now() - began2) / 1000).toFixed(0)} s`);

const bpd = (nats: number) => bitsPerDim(nats, dims).toFixed(4);
console.log(`\nheld-out before training: engine ${(start.recon + start.kl).toFixed(1)}, pytorch ${torch.start_elbo.toFixed(1)} nats/image (same weights)`);
console.log(`\ntraining loss (negative ELBO, nats/image, mean of each ${logEvery} steps)`);
console.log('   steps      engine     pytorch   engine/pytorch');
curve.forEach((e, i) => {
  const t = torch.curve[i];
  console.log(`${String((i + 1) * logEvery).padStart(8)} ${e.toFixed(1).padStart(11)} ${t.toFixed(1).padStart(11)} ${(e / t).toFixed(4).padStart(16)}`);
});
const engineElbo = engine.recon + engine.kl;
const gap = engineElbo / torch.elbo - 1;
console.log(`\nheld-out after ${steps} steps (${valCount} images × ${evalDraws} draws)`);
console.log('            recon nats      KL nats   −ELBO nats    bits/dim');
console.log(`engine   ${engine.recon.toFixed(1).padStart(13)} ${engine.kl.toFixed(1).padStart(12)} ${engineElbo.toFixed(1).padStart(12)} ${bpd(engineElbo).padStart(11)}`);
console.log(`pytorch  ${torch.recon.toFixed(1).padStart(13)} ${torch.kl.toFixed(1).padStart(12)} ${torch.elbo.toFixed(1).padStart(12)} ${bpd(torch.elbo).padStart(11)}`);
console.log(`engine − pytorch: ${(100 * gap).toFixed(2)} % of PyTorch's negative ELBO — ${Math.abs(gap) <= 0.01 ? 'within' : 'OUTSIDE'} 1 %`);
