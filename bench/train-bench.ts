// npm run bench: training throughput and decode latency of the default model on ONNX Runtime and on WebAssembly,
// side by side with the PyTorch reference of the same architecture run in the same invocation (machines here are
// noisy; only ratios measured together mean anything).
// The PyTorch reference (bench/reference/torch_vae.py) builds the classic and the spatial network (the default for a
// new project); each is compared with PyTorch's own build of it, the residual network with PyTorch's classic one.
// Latents: --latent for classic and residual, a new project's 512 for spatial.
// Usage: npm run bench -- [--sizes 32,64,128] [--steps 20] [--rounds 2] [--backends onnx,wasm] [--networks classic,spatial]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, type BackendChoice } from '../main/engine/ml/backends';
import { Adam } from '../main/engine/ml/adam';
import { VaeModel } from '../main/engine/ml/model';
import { NETWORKS, type Network } from '../main/engine/ml/architecture';
import { Rng } from '../main/engine/ml/rng';
import { availableParallelism } from 'node:os';
import { createStepper } from '../main/engine/operations/training/stepper';
import { projectDefaults } from '../main/engine/operations/project-defaults';

interface Measurement {
  impl: string;
  size: number;
  imagesPerSec: number;
  decodeMs1: number;
  decodeMs64: number;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '32,64,128' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    batch: { type: 'string', default: '32' },
    latent: { type: 'string', default: '128' },
    backends: { type: 'string', default: 'onnx,wasm' },
    networks: { type: 'string', default: 'classic,spatial' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'torch-threads': { type: 'string', default: '1,2' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const batch = Number(values.batch);
const classicLatent = Number(values.latent);
/** The networks PyTorch's reference builds. */
const TORCH_NETWORKS: Network[] = ['classic', 'spatial'];
const latentFor = (network: Network) => (network === 'spatial' ? projectDefaults('generate').latentSize : classicLatent);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeDecode(model: VaeModel, n: number, reps: number): number {
  const z = new Rng(1).normals(n * model.arch.latent);
  // Warm up for a second: the inference pool's helper threads load their copies of the decoder in the background.
  const warmUntil = performance.now() + 1000;
  for (let i = 0; i < 3 || performance.now() < warmUntil; i++) model.decode(z);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    model.decode(z);
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function measureOurs(size: number, choice: BackendChoice, threads: number, network: Network): Promise<Measurement> {
  const backend = await initBackend(choice);
  const latent = latentFor(network);
  const model = VaeModel.create({ size, latent, network }, 0);
  const adam = new Adam(model.params, { lr: 1e-3 });
  const trainer = await createStepper(model, adam, backend, { lr: 1e-3, batchSize: batch, threads, exampleDims: size * size * 3 });
  const rng = new Rng(0);
  const dims = size * size * 3;
  const pool = Array.from({ length: 4 }, () => Float32Array.from({ length: batch * dims }, () => rng.next() * 2 - 1));
  const eps = rng.normals(batch * latent);
  for (let i = 0; i < warmup; i++) await trainer.step(adam, VaeModel.batch(pool[i % pool.length], eps, batch), 1);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await trainer.step(adam, VaeModel.batch(pool[i % pool.length], eps, batch), 1);
  const seconds = (performance.now() - t0) / 1000;
  await trainer.close();
  const result = {
    impl: `vae-studio ${network} (${backend.name}, ${trainer.threads} thr)`,
    size,
    imagesPerSec: (steps * batch) / seconds,
    decodeMs1: timeDecode(model, 1, 50),
    decodeMs64: timeDecode(model, 64, 5),
  };
  adam.dispose();
  model.dispose();
  return result;
}

function torchPython(): string | null {
  const candidates = [process.env.VAE_STUDIO_TORCH_PYTHON, '/usr/bin/python3'].filter(Boolean) as string[];
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next interpreter
    }
  }
  return null;
}

function measureTorch(py: string, size: number, threads: string, network: Network): Measurement {
  const script = resolve(import.meta.dirname, '..', 'bench', 'reference', 'torch_vae.py');
  const script2 = existsSync(script) ? script : join(process.cwd(), 'bench', 'reference', 'torch_vae.py');
  const out = execFileSync(py, [script2, '--network', network, '--size', String(size), '--latent', String(latentFor(network)),
    '--batch', String(batch), '--steps', String(steps), '--warmup', String(warmup), '--threads', threads, '--json'], { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { images_per_sec: number; decode_ms_1: number; decode_ms_64: number; torch: string };
  const label = threads === torchDefaultThreads ? `${threads} thr, default` : `${threads} thr`;
  return { impl: `pytorch ${r.torch} ${network} (${label})`, size, imagesPerSec: r.images_per_sec, decodeMs1: r.decode_ms_1, decodeMs64: r.decode_ms_64 };
}

const backends = values.backends!.split(',') as BackendChoice[];
const networks = values.networks!.split(',') as Network[];
for (const n of networks) if (!NETWORKS.includes(n)) throw new Error(`--networks: unknown network ${n} (known: ${NETWORKS.join(', ')})`);
const ourConfigs = backends.flatMap((b) => networks.map((network) => ({ b, network, key: `${b}:${network}` })));
for (const b of backends) {
  const report = await initBackend(b);
  console.log(`backend ${b}: ${report.name} — ${report.reasons.find((r) => r.ok)?.reason ?? ''}`);
}
const ourThreads = Number(values.threads);
const torchThreads = values['torch-threads']!.split(',');
const py = values['no-torch'] ? null : torchPython();
const torchDefaultThreads = py ? execFileSync(py, ['-c', 'import torch; print(torch.get_num_threads())'], { encoding: 'utf8' }).trim() : null;
console.log(`model: latent ${classicLatent} (spatial ${latentFor('spatial')}), batch ${batch}; ${steps} timed steps after ${warmup} warm-up, median of ${rounds} rounds (alternating)`);
if (!py) console.log('PyTorch reference: not available (run scripts/install-system-deps.sh); ratios are not printed');

const rows: string[] = [];
const pick = (ms: Measurement[]) => ({
  ...ms[0],
  imagesPerSec: median(ms.map((m) => m.imagesPerSec)),
  decodeMs1: median(ms.map((m) => m.decodeMs1)),
  decodeMs64: median(ms.map((m) => m.decodeMs64)),
});
const fmt = (m: Measurement) =>
  `${String(m.size).padStart(4)}  ${m.impl.padEnd(37)} ${m.imagesPerSec.toFixed(1).padStart(8)} img/s ${m.decodeMs1.toFixed(2).padStart(8)} ms ${m.decodeMs64.toFixed(1).padStart(8)} ms`;
const torchNetworks = networks.filter((n) => TORCH_NETWORKS.includes(n));
const torchKeys = torchNetworks.flatMap((network) => torchThreads.map((threads) => ({ network, threads, key: `${network}:${threads}` })));
for (const size of sizes) {
  const ours = new Map<string, Measurement[]>(ourConfigs.map((c) => [c.key, []]));
  const theirs = new Map<string, Measurement[]>(torchKeys.map((k) => [k.key, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of ourConfigs) ours.get(c.key)!.push(await measureOurs(size, c.b, ourThreads, c.network));
    if (py) for (const k of torchKeys) theirs.get(k.key)!.push(measureTorch(py, size, k.threads, k.network));
  }
  const mine = ourConfigs.map((c) => ({ ...c, m: pick(ours.get(c.key)!) }));
  mine.forEach(({ m }) => rows.push(fmt(m)));
  for (const c of mine.filter((x) => x.network !== 'classic')) {
    const base = ours.get(`${c.b}:classic`);
    if (!base) continue;
    const k = pick(base);
    rows.push(`      ${c.m.impl.replace('vae-studio ', '').padEnd(25)} ÷ classic: train ${(c.m.imagesPerSec / k.imagesPerSec).toFixed(2)}×   decode-1 latency ${(c.m.decodeMs1 / k.decodeMs1).toFixed(2)}×   decode-64 latency ${(c.m.decodeMs64 / k.decodeMs64).toFixed(2)}×`);
  }
  if (!py) continue;
  for (const network of torchNetworks) {
    // PyTorch's best configuration is the reference: the fastest training and decode of its thread counts.
    const candidates = torchKeys.filter((k) => k.network === network).map((k) => pick(theirs.get(k.key)!));
    candidates.forEach((c) => rows.push(fmt(c)));
    const t = {
      imagesPerSec: Math.max(...candidates.map((c) => c.imagesPerSec)),
      decodeMs1: Math.min(...candidates.map((c) => c.decodeMs1)),
      decodeMs64: Math.min(...candidates.map((c) => c.decodeMs64)),
    };
    for (const { m } of mine.filter((c) => c.network === network)) {
      rows.push(
        `      ${m.impl.replace('vae-studio ', '').padEnd(25)} ÷ PyTorch's best: train ${(m.imagesPerSec / t.imagesPerSec).toFixed(2)}×   decode-1 latency ${(m.decodeMs1 / t.decodeMs1).toFixed(2)}×   decode-64 speed ${(t.decodeMs64 / m.decodeMs64).toFixed(2)}×`,
      );
    }
  }
}
console.log(`\nsize  implementation               training      decode 1    decode 64`);
for (const row of rows) console.log(row);
