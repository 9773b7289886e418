// The VAE's trainable parameters: created from a seed, kept in a fixed order, and (de)serialised to one
// binary blob for checkpoints. The order is part of the checkpoint format.
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, KERNEL, LEAK, latentChannels } from './architecture';
import { encoderAndDenseSpecs, encoderSpecs, INITIAL_LOG_SCALE, type ParamSpec } from './param-spec';
import { residualParamSpecs } from './residual-params';

export { INITIAL_LOG_SCALE, type ParamSpec } from './param-spec';
import { Rng } from './rng';

export function paramSpecs(arch: Architecture): ParamSpec[] {
  if (arch.network === 'residual') return residualParamSpecs(arch);
  return arch.network === 'spatial' ? spatialParamSpecs(arch) : classicParamSpecs(arch);
}

/** Uniform init bound for a layer followed by LeakyReLU (He init for its slope). */
const LEAKY_GAIN = Math.sqrt(6 / (1 + LEAK * LEAK));

function classicParamSpecs(arch: Architecture): ParamSpec[] {
  return [...encoderAndDenseSpecs(arch, LEAKY_GAIN), ...transposedDecoderSpecs(arch)];
}

/** The classic encoder convolutions, 3×3 convolutions to and from the latent grid, the classic decoder. */
function spatialParamSpecs(arch: Architecture): ParamSpec[] {
  const specs = encoderSpecs(arch, LEAKY_GAIN);
  const top = arch.channels[arch.channels.length - 1];
  const grid = latentChannels(arch);
  for (const head of ['enc.mu', 'enc.logvar']) {
    specs.push({ name: `${head}.w`, shape: [3, 3, top, grid], bound: Math.sqrt(3 / (9 * top)) });
    specs.push({ name: `${head}.b`, shape: [grid], bound: 0 });
  }
  specs.push({ name: 'dec.in.w', shape: [3, 3, grid, top], bound: LEAKY_GAIN / Math.sqrt(9 * grid) });
  specs.push({ name: 'dec.in.b', shape: [top], bound: 0 });
  return [...specs, ...transposedDecoderSpecs(arch)];
}

/** The 4×4 stride-2 transposed convolutions from the bottleneck to the image, and the likelihood's log scale. */
function transposedDecoderSpecs(arch: Architecture): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const decChannels = [...arch.channels].reverse();
  decChannels.forEach((inCh, i) => {
    const last = i === decChannels.length - 1;
    const outCh = last ? arch.imageChannels : decChannels[i + 1];
    // conv2dTranspose filters are [kh, kw, out, in]; each output pixel sees (k/stride)² taps per input channel.
    const fanIn = inCh * (KERNEL / 2) * (KERNEL / 2);
    specs.push({
      name: `dec${i}.w`,
      shape: [KERNEL, KERNEL, outCh, inCh],
      bound: last ? Math.sqrt(3 / fanIn) : LEAKY_GAIN / Math.sqrt(fanIn),
    });
    specs.push({ name: `dec${i}.b`, shape: [outCh], bound: 0 });
  });
  // Per-channel log scale of the discretized logistic likelihood.
  specs.push({ name: 'logscale', shape: [arch.imageChannels], bound: 0, fill: INITIAL_LOG_SCALE });
  return specs;
}

export type Params = Map<string, tf.Variable>;

export function initParams(arch: Architecture, seed: number): Params {
  return initParamsFromSpecs(paramSpecs(arch), seed);
}

/** Variables for any model's parameter list, drawn from a seed in list order. */
export function initParamsFromSpecs(specs: ParamSpec[], seed: number): Params {
  const rng = new Rng(seed);
  const params: Params = new Map();
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n).fill(spec.fill ?? 0);
    if (spec.bound > 0) for (let i = 0; i < n; i++) values[i] = (rng.next() * 2 - 1) * spec.bound;
    params.set(spec.name, tf.variable(tf.tensor(values, spec.shape), true, uniqueName(spec.name)));
  }
  return params;
}

let instance = 0;
function uniqueName(name: string): string {
  instance++;
  return `${name}#${instance}`;
}

export function disposeParams(params: Params): void {
  for (const v of params.values()) v.dispose();
}

const MAGIC = 0x56414557; // "VAEW"

/** Packs named float32 tensors into one blob: magic, manifest length, JSON manifest, then the values. */
export function packTensors(entries: { name: string; shape: number[]; values: Float32Array }[]): Buffer {
  const manifest = Buffer.from(JSON.stringify(entries.map((e) => ({ name: e.name, shape: e.shape }))), 'utf8');
  const headerBytes = 8 + manifest.length;
  const padded = Math.ceil(headerBytes / 4) * 4;
  const total = entries.reduce((sum, e) => sum + e.values.length, 0);
  const out = Buffer.alloc(padded + total * 4);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(manifest.length, 4);
  manifest.copy(out, 8);
  let offset = padded;
  for (const e of entries) {
    Buffer.from(e.values.buffer, e.values.byteOffset, e.values.byteLength).copy(out, offset);
    offset += e.values.byteLength;
  }
  return out;
}

export function unpackTensors(blob: Uint8Array): { name: string; shape: number[]; values: Float32Array }[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) throw new Error('Checkpoint data is damaged (bad header)');
  const len = buf.readUInt32LE(4);
  const manifest = JSON.parse(buf.subarray(8, 8 + len).toString('utf8')) as { name: string; shape: number[] }[];
  let offset = Math.ceil((8 + len) / 4) * 4;
  return manifest.map(({ name, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (offset + n * 4 > buf.length) throw new Error('Checkpoint data is damaged (truncated)');
    const values = new Float32Array(n);
    new Uint8Array(values.buffer).set(buf.subarray(offset, offset + n * 4));
    offset += n * 4;
    return { name, shape, values };
  });
}

/** Channels of the images a generator's weights blob was trained on: the length of its likelihood's log-scale. */
export function imageChannelsOf(blob: Uint8Array): 3 | 4 {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) throw new Error('Checkpoint data is damaged (bad header)');
  const manifest = JSON.parse(buf.subarray(8, 8 + buf.readUInt32LE(4)).toString('utf8')) as { name: string; shape: number[] }[];
  const channels = manifest.find((e) => e.name === 'logscale')?.shape[0];
  if (channels !== 3 && channels !== 4) throw new Error(`Checkpoint does not match this model (logscale of ${String(channels)} channels)`);
  return channels;
}

/** The parameters as named arrays, in their fixed order (the checkpoint format's entries). */
export function paramEntries(params: Params): { name: string; shape: number[]; values: Float32Array }[] {
  return [...params].map(([name, v]) => ({ name, shape: v.shape, values: v.dataSync() as Float32Array }));
}

export function serializeParams(params: Params): Buffer {
  return packTensors(paramEntries(params));
}

/** Entries stored beside the parameters in a weights blob (the fitted prior: ./prior/stored-prior.ts). */
export const EXTRA_PREFIX = 'prior/';

/** Loads weights into existing variables, refusing a blob made for another architecture. */
export function loadParams(params: Params, blob: Uint8Array): void {
  const entries = unpackTensors(blob).filter((e) => !e.name.startsWith(EXTRA_PREFIX));
  if (entries.length !== params.size) throw new Error('Checkpoint does not match this model (parameter count differs)');
  for (const e of entries) {
    const v = params.get(e.name);
    if (!v || v.shape.join() !== e.shape.join()) {
      throw new Error(`Checkpoint does not match this model (${e.name} ${e.shape.join('×')})`);
    }
    const t = tf.tensor(e.values, e.shape);
    v.assign(t);
    t.dispose();
  }
}
