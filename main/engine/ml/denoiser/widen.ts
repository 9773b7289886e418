// Grows a trained denoiser into a larger architecture with the same function (function-preserving widening and
// deepening, as in Net2Net), so training the larger network begins where the smaller one ended instead of from
// noise: that is how the shipped "best" network was started (resources/denoiser/README.md). Each hidden layer of the
// small network, h = leaky(p), is computed in twice the channels as the pair (leaky(p), leaky(−p)): the next layer
// reads h from the first half, and an extra layer can pass the pair through unchanged, since
// p = (leaky(p) − leaky(−p)) / (1 + LEAK). Extra latent channels start unused (zero mean, unit variance: no KL) with
// tiny decoder weights, so that gradients reach them.
import { LEAK } from '../architecture';
import { packTensors, unpackTensors } from '../params';
import { Rng } from '../rng';
import { type DenoiserConfig, denoiserParamSpecs, EDGE_KERNEL, INNER_KERNEL } from './architecture';

/** The parameter blob of `big` computing what `smallWeights` (a blob of `small`) computes. */
export function widenDenoiser(smallWeights: Uint8Array, small: DenoiserConfig, big: DenoiserConfig): Buffer {
  const w = small.width;
  if (big.width < 2 * w || big.latent < small.latent || big.encoderLayers < small.encoderLayers || big.decoderLayers < small.decoderLayers) {
    throw new Error(`The larger network needs at least twice the width (${2 * w}) and at least the small one's latent and layers`);
  }
  const from = new Map(unpackTensors(smallWeights).map((e) => [e.name, e]));
  const specs = new Map(denoiserParamSpecs(big).map((s) => [s.name, s]));
  const out = new Map<string, Float32Array>([...specs].map(([name, s]) => [name, new Float32Array(s.shape.reduce((a, b) => a * b, 1))]));
  const get = (name: string) => from.get(name)!.values;
  const r = 1 / (1 + LEAK);

  /** Conv weight [k, k, in, out] of `name`: writes value v at (y, x, i, o). */
  const setter = (name: string) => {
    const [k, , inC, outC] = specs.get(name)!.shape;
    const arr = out.get(name)!;
    return (y: number, x: number, i: number, o: number, v: number) => {
      if (y >= k || x >= k || i >= inC || o >= outC) throw new RangeError(name);
      arr[((y * k + x) * inC + i) * outC + o] = v;
    };
  };

  /**
   * A small layer's weights (k, k, sIn, sOut) into the big one, reading input channel i as before; `pairedOut`: output
   * channels o and o + w get the pre-activations p and −p.
   */
  function copyConv(smallName: string, bigName: string, k: number, sIn: number, sOut: number, pairedOut: boolean) {
    const src = get(`${smallName}.w`);
    const set = setter(`${bigName}.w`);
    for (let y = 0; y < k; y++)
      for (let x = 0; x < k; x++)
        for (let i = 0; i < sIn; i++)
          for (let o = 0; o < sOut; o++) {
            const v = src[((y * k + x) * sIn + i) * sOut + o];
            set(y, x, i, o, v);
            if (pairedOut) set(y, x, i, o + w, -v);
          }
    const b = get(`${smallName}.b`);
    const bOut = out.get(`${bigName}.b`)!;
    for (let o = 0; o < sOut; o++) {
      bOut[o] = b[o];
      if (pairedOut) bOut[o + w] = -b[o];
    }
  }

  /** A layer that passes the pair through unchanged: both halves' pre-activations are ±p = ±(a − b) / (1 + LEAK). */
  function identityPair(bigName: string) {
    const set = setter(`${bigName}.w`);
    const c = (INNER_KERNEL - 1) / 2;
    for (let i = 0; i < w; i++) {
      set(c, c, i, i, r);
      set(c, c, i + w, i, -r);
      set(c, c, i, i + w, -r);
      set(c, c, i + w, i + w, r);
    }
  }

  copyConv('enc.in', 'enc.in', EDGE_KERNEL, 3, w, true);
  for (let l = 0; l < big.encoderLayers; l++) l < small.encoderLayers ? copyConv(`enc${l}`, `enc${l}`, INNER_KERNEL, w, w, true) : identityPair(`enc${l}`);
  copyConv('enc.mu', 'enc.mu', 1, w, small.latent, false);
  copyConv('enc.logvar', 'enc.logvar', 1, w, small.latent, false);
  copyConv('dec.in', 'dec.in', INNER_KERNEL, small.latent, w, true);
  // Extra latent channels: tiny decoder weights, so their gradients are not zero and they can come into use.
  const rng = new Rng(7);
  const decIn = setter('dec.in.w');
  for (let y = 0; y < INNER_KERNEL; y++) for (let x = 0; x < INNER_KERNEL; x++) for (let i = small.latent; i < big.latent; i++) for (let o = 0; o < big.width; o++) decIn(y, x, i, o, 1e-3 * rng.normal());
  // The small decoder's layers come last, so the extra ones sit where the latent map is decoded first.
  const extra = big.decoderLayers - small.decoderLayers;
  for (let l = 0; l < big.decoderLayers; l++) l < extra ? identityPair(`dec${l}`) : copyConv(`dec${l - extra}`, `dec${l}`, INNER_KERNEL, w, w, true);
  // Transposed output: filter [k, k, out 3, in].
  {
    const src = get('dec.out.w');
    const dst = out.get('dec.out.w')!;
    const k = EDGE_KERNEL;
    for (let y = 0; y < k; y++)
      for (let x = 0; x < k; x++)
        for (let c = 0; c < 3; c++)
          for (let i = 0; i < w; i++) {
            dst[((y * k + x) * 3 + c) * big.width + i] = src[((y * k + x) * 3 + c) * w + i];
          }
  }
  out.get('dec.out.b')!.set(get('dec.out.b'));
  out.get('logscale')!.set(get('logscale'));
  return packTensors([...specs].map(([name, s]) => ({ name, shape: s.shape, values: out.get(name)! })));
}
