// The models' layers, described once. A description is a function over a `LayerCompiler`; the TF.js compiler
// (./tfjs-compiler.ts) turns it into tfjs-core ops (the reference, WebAssembly and tfjs-node paths) and the ONNX
// compiler (../onnx/onnx-compiler.ts) into ONNX graph nodes with their backward pass. Parameters are named here
// and stored in the checkpoint's layout whatever the compiler ([k, k, in, out] for convolutions).
import { type Architecture, KERNEL, latentChannels, RESIDUAL_MAX_SIDE, STRIDE } from '../architecture';

export type Activation = 'leaky' | 'silu' | 'tanh' | 'none';

export interface ConvLayer {
  /** Square kernel side. */
  kernel: number;
  stride: number;
  act: Activation;
}

/** Builds a network from layers; padding is always "same" (output side = input side / stride, or × for deconv). */
export interface LayerCompiler<T> {
  /** Convolution with weights `${name}.w` [k, k, in, out] and bias `${name}.b`. */
  conv(x: T, name: string, layer: ConvLayer): T;
  /** Transposed convolution with weights `${name}.w` [k, k, out, in] and bias `${name}.b`. */
  deconv(x: T, name: string, layer: ConvLayer): T;
  /** x · `${name}.w` + `${name}.b` on [n, units] values, then the activation. */
  dense(x: T, name: string, act: Activation): T;
  /** A feature map to [n, side·side·channels], in height-width-channel order. */
  flatten(x: T): T;
  /** The inverse of flatten. */
  unflatten(x: T, side: number, channels: number): T;
  /** The two halves of the last axis. */
  split(x: T): [T, T];
  /** Element-wise sum (residual connections). */
  add(a: T, b: T): T;
  /** An activation on its own. */
  activate(x: T, act: Activation): T;
  /** Nearest-neighbour upsampling by 2 in height and width. */
  upsample(x: T): T;
  /** Group normalisation over NORM_GROUPS groups of channels, then × `${name}.gamma` + `${name}.beta` per channel. */
  groupNorm(x: T, name: string): T;
}

/** x + conv3×3(SiLU(groupNorm(x))): one convolution per block keeps the step cheap; the conv starts at zero, so
 *  each block starts as the identity and the network as deep as it needs to be. */
function residualBlock<T>(c: LayerCompiler<T>, x: T, name: string): T {
  return c.add(x, c.conv(c.activate(c.groupNorm(x, `${name}.norm`), 'silu'), `${name}.conv`, { kernel: 3, stride: 1, act: 'none' }));
}

export function vaeEncoder<T>(c: LayerCompiler<T>, arch: Architecture, x: T): { mu: T; logvar: T } {
  let h = x;
  const residual = arch.network === 'residual';
  arch.channels.forEach((_, i) => {
    h = c.conv(h, `enc${i}`, { kernel: KERNEL, stride: STRIDE, act: residual ? 'silu' : 'leaky' });
    if (residual && encoderSide(arch, i) <= RESIDUAL_MAX_SIDE) h = residualBlock(c, h, `enc${i}.res`);
  });
  if (arch.network === 'spatial') {
    // Two convolutions rather than one split: the halves of a flattened grid would be rows, not channels.
    return { mu: c.flatten(c.conv(h, 'enc.mu', LATENT_CONV)), logvar: c.flatten(c.conv(h, 'enc.logvar', LATENT_CONV)) };
  }
  const [mu, logvar] = c.split(c.dense(c.flatten(h), 'enc.dense', 'none'));
  return { mu, logvar };
}

/** The spatial network's 3×3 convolutions out of and into its latent grid. */
const LATENT_CONV: ConvLayer = { kernel: 3, stride: 1, act: 'none' };

/** Side of encoder layer i's output. */
export const encoderSide = (arch: Architecture, i: number) => arch.size / STRIDE ** (i + 1);
/** Side of decoder layer i's input. */
export const decoderSide = (arch: Architecture, i: number) => arch.bottleneckSide * STRIDE ** i;

/** The decoder's mean image in [-1, 1]. */
export function vaeDecoder<T>(c: LayerCompiler<T>, arch: Architecture, z: T): T {
  if (arch.network === 'residual') return residualDecoder(c, arch, z);
  const h = arch.network === 'spatial'
    ? c.conv(c.unflatten(z, arch.bottleneckSide, latentChannels(arch)), 'dec.in', { ...LATENT_CONV, act: 'leaky' })
    : c.unflatten(c.dense(z, 'dec.dense', 'leaky'), arch.bottleneckSide, arch.channels[arch.channels.length - 1]);
  return transposedConvolutions(c, arch, h);
}

function residualDecoder<T>(c: LayerCompiler<T>, arch: Architecture, z: T): T {
  let h = c.unflatten(c.dense(z, 'dec.dense', 'silu'), arch.bottleneckSide, arch.channels[arch.channels.length - 1]);
  const layers = arch.channels.length;
  for (let i = 0; i < layers; i++) {
    if (decoderSide(arch, i) <= RESIDUAL_MAX_SIDE) h = residualBlock(c, h, `dec${i}.res`);
    h = i < layers - 1
      ? c.deconv(h, `dec${i}`, { kernel: KERNEL, stride: STRIDE, act: 'silu' })
      : c.conv(c.upsample(h), `dec${i}`, { kernel: 3, stride: 1, act: 'tanh' });
  }
  return h;
}

/** The classic and spatial decoders' upsampling: 4×4 stride-2 transposed convolutions up to the image. */
function transposedConvolutions<T>(c: LayerCompiler<T>, arch: Architecture, h: T): T {
  const layers = arch.channels.length;
  for (let i = 0; i < layers; i++) {
    h = c.deconv(h, `dec${i}`, { kernel: KERNEL, stride: STRIDE, act: i < layers - 1 ? 'leaky' : 'tanh' });
  }
  return h;
}
