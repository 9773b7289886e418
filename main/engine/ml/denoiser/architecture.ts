// The denoising VAE's shape. Fully convolutional with a spatial latent, so one set of weights runs at any image
// size: a stride-2 convolution takes the noisy image to half resolution (cheap: every later layer costs a
// quarter per pixel), a few 3×3 convolutions give a Gaussian posterior per half-resolution position, and the
// decoder maps the sampled latent map back up to a residual that is added to the noisy input.
//
// Cost, per full-resolution pixel, with width 32, latent 16, 2 encoder and 2 decoder 3×3 layers: ≈ 6.8K
// multiply-adds (see `macsPerPixel`), which is what keeps full-resolution photos above 2 MP/s on two CPU cores.
import type { ParamSpec } from '../params';
import { LEAK } from '../architecture';

export interface DenoiserConfig {
  /** Channels of the hidden layers. */
  width: number;
  /** Channels of the latent map (one Gaussian per channel and half-resolution position). */
  latent: number;
  /** 3×3 layers in the encoder after the stride-2 input layer, and in the decoder before the output layer. */
  encoderLayers: number;
  decoderLayers: number;
}

export const DEFAULT_DENOISER: Readonly<DenoiserConfig> = Object.freeze({ width: 32, latent: 16, encoderLayers: 1, decoderLayers: 2 });
/**
 * The "best" quality's network: twice the width, two more encoder and decoder layers (≈ 72K multiply-adds per
 * pixel, 8× fast's; wide layers keep the cores busier, so a photo takes ~4× fast's time).
 */
export const BEST_DENOISER: Readonly<DenoiserConfig> = Object.freeze({ width: 64, latent: 32, encoderLayers: 3, decoderLayers: 4 });

/** The input layer's stride-2 kernel (and the output's transposed one). */
export const EDGE_KERNEL = 4;
export const INNER_KERNEL = 3;
/** The image is processed at 1/SCALE resolution: sides must be multiples of it (callers pad). */
export const SCALE = 2;

export function checkDenoiserConfig(c: DenoiserConfig): DenoiserConfig {
  const ok = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;
  if (!ok(c.width, 4, 256)) throw new Error(`Denoiser width must be a whole number from 4 to 256, got ${c.width}`);
  if (!ok(c.latent, 1, 256)) throw new Error(`Denoiser latent channels must be a whole number from 1 to 256, got ${c.latent}`);
  if (!ok(c.encoderLayers, 0, 16) || !ok(c.decoderLayers, 0, 16)) throw new Error('Denoiser layer counts must be whole numbers from 0 to 16');
  return c;
}

export function denoiserParamSpecs(c: DenoiserConfig): ParamSpec[] {
  const gain = Math.sqrt(6 / (1 + LEAK * LEAK));
  const conv = (name: string, k: number, inC: number, outC: number, scale = 1): ParamSpec[] => [
    { name: `${name}.w`, shape: [k, k, inC, outC], bound: (scale * gain) / Math.sqrt(k * k * inC) },
    { name: `${name}.b`, shape: [outC], bound: 0 },
  ];
  const specs: ParamSpec[] = [...conv('enc.in', EDGE_KERNEL, 3, c.width)];
  for (let i = 0; i < c.encoderLayers; i++) specs.push(...conv(`enc${i}`, INNER_KERNEL, c.width, c.width));
  // mu and log-variance heads (1×1). Small weights: the posterior starts near N(0, 1) per position.
  specs.push(...conv('enc.mu', 1, c.width, c.latent, 0.5), ...conv('enc.logvar', 1, c.width, c.latent, 0.1));
  specs.push(...conv('dec.in', INNER_KERNEL, c.latent, c.width));
  for (let i = 0; i < c.decoderLayers; i++) specs.push(...conv(`dec${i}`, INNER_KERNEL, c.width, c.width));
  // Transposed stride-2 output: filter [k, k, out, in]. Starts small so the first residuals are near zero.
  specs.push({ name: 'dec.out.w', shape: [EDGE_KERNEL, EDGE_KERNEL, 3, c.width], bound: 0.1 / Math.sqrt(c.width) });
  specs.push({ name: 'dec.out.b', shape: [3], bound: 0 });
  specs.push({ name: 'logscale', shape: [3], bound: 0, fill: -3 });
  return specs;
}

/** Multiply-adds per full-resolution pixel (convolutions only). */
export function macsPerPixel(c: DenoiserConfig): number {
  const k2 = INNER_KERNEL * INNER_KERNEL;
  const edge = EDGE_KERNEL * EDGE_KERNEL * 3 * c.width;
  const half =
    2 * edge +
    c.encoderLayers * k2 * c.width * c.width +
    2 * c.width * c.latent +
    k2 * c.latent * c.width +
    c.decoderLayers * k2 * c.width * c.width;
  return half / (SCALE * SCALE);
}
