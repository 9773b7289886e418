// The convolutional VAE's shape, derived from the project's image size: stride-2 4×4 convolutions halve the
// image down to 4×4, so depth grows with the size (32 → 3 layers, 64 → 4, 128 → 5).
// Two networks share that skeleton (see ./description/layers.ts): `classic` (leaky ReLU, transposed
// convolutions all the way up), the default; and `residual` (--network residual), which adds residual blocks
// (group norm, SiLU, 3×3 convolution) at the coarse resolutions, where channels are many and pixels few, and
// ends in nearest-neighbour upsampling + 3×3 convolution, so the output has no transposed convolution's
// checkerboard. Measured on the emoji set at 1,500 steps (bench/reference/quality-levers.md) the residual
// network costs 2.3× per step and still lands 1.1 dB lower with a worse KID, so it is not the default: its
// samples are smoother, and it is there for longer runs and GPUs.
// The third, `spatial`, keeps the classic layers but has no dense bottleneck: its latent is an 8×8 grid of
// `latent / 64` channels (3×3 convolutions in and out), so each latent value describes one region of the image
// and the network learns reconstructions far faster per second: +4.8 to +6.9 dB on held-out images at 20 minutes,
// and with samples that borrow the detail of the nearest fitted latent (./prior/subspace.ts) they score as well
// as the classic network's or better (bench/reference/quality-levers.md). It is the default wherever the latent
// fills its grid with 4 channels or more, as a new project's 512 does.

import type { Network } from '../../../shared/training-config';

export { NETWORKS, type Network } from '../../../shared/training-config';
/**
 * What a new generator run trains when none is asked for: `spatial` where the latent fills its 8×8 grid with 4
 * channels or more (a new project's 512 gives 8), else `classic` — latents of 128, which projects made before
 * and the shipped 64×64 start (../ml/pretrained-generator.ts) have, keep the network they were made for.
 */
export function defaultNetwork(latent: number): Network {
  return latentMisfit('spatial', latent) === null && latent >= 4 * SPATIAL_GRID_CELLS ? 'spatial' : 'classic';
}
/** Residual blocks sit at feature maps of this side or smaller. */
export const RESIDUAL_MAX_SIDE = 8;
/** Groups of group normalisation (channels per group = channels / 8). */
export const NORM_GROUPS = 8;
/** Added to a group's variance (as PyTorch's GroupNorm does). */
export const NORM_EPSILON = 1e-5;
/** Side of the spatial network's latent grid. */
export const SPATIAL_LATENT_SIDE = 8;
const SPATIAL_GRID_CELLS = SPATIAL_LATENT_SIDE * SPATIAL_LATENT_SIDE;

export interface ModelConfig {
  /** Square image side in pixels: a power of two, 16 or more. */
  size: number;
  /** Latent dimensions. */
  latent: number;
  /** The layers' design; runs created before there was a choice are `classic`. */
  network?: Network;
  /** Channels of the images the model sees and makes: 3 (RGB, the default) or 4 (RGBA, colour premultiplied by alpha). */
  imageChannels?: ImageChannels;
}

export type ImageChannels = 3 | 4;

export interface Architecture extends ModelConfig {
  network: Network;
  /** Input channels of the first encoder layer, output channels of the last decoder layer and of the likelihood. */
  imageChannels: ImageChannels;
  /** Output channels of each encoder convolution; the decoder mirrors them. */
  channels: number[];
  /** Side of the smallest feature map: 4, or the latent grid's side for the spatial network. */
  bottleneckSide: number;
  /** Flattened size of the smallest feature map. */
  bottleneckUnits: number;
}

const BASE_CHANNELS = [32, 64, 128, 256];
const MAX_CHANNELS = 256;
export const KERNEL = 4;
export const STRIDE = 2;
export const LEAK = 0.2;

export function isValidImageSize(size: number): boolean {
  return Number.isInteger(size) && size >= 16 && size <= 1024 && (size & (size - 1)) === 0;
}

export function describeArchitecture(config: ModelConfig): Architecture {
  if (!isValidImageSize(config.size)) {
    throw new Error(`Image size must be a power of two from 16 to 1024, got ${config.size}`);
  }
  if (!Number.isInteger(config.latent) || config.latent < 2 || config.latent > 4096) {
    throw new Error(`Latent size must be an integer from 2 to 4096, got ${config.latent}`);
  }
  const imageChannels = config.imageChannels ?? 3;
  if (imageChannels !== 3 && imageChannels !== 4) throw new Error(`Images must have 3 or 4 channels, got ${String(imageChannels)}`);
  const network = config.network ?? 'classic';
  const misfit = latentMisfit(network, config.latent);
  if (misfit) throw new Error(misfit);
  const bottleneckSide = network === 'spatial' ? SPATIAL_LATENT_SIDE : 4;
  const depth = Math.log2(config.size / bottleneckSide);
  const channels = Array.from({ length: depth }, (_, i) => BASE_CHANNELS[i] ?? MAX_CHANNELS);
  return {
    ...config,
    network,
    imageChannels,
    channels,
    bottleneckSide,
    bottleneckUnits: bottleneckSide * bottleneckSide * channels[depth - 1],
  };
}

/** Why `network` cannot have a latent of this size, or null when it can. */
export function latentMisfit(network: Network, latent: number): string | null {
  const grid = SPATIAL_GRID_CELLS;
  if (network !== 'spatial' || latent % grid === 0) return null;
  return `The spatial network's latent is a ${SPATIAL_LATENT_SIDE}×${SPATIAL_LATENT_SIDE} grid, so its size must be a multiple of ${grid} (${grid}, ${2 * grid}, ${4 * grid}…); this project's is ${latent}`;
}

/** Channels of the spatial network's latent grid. */
export const latentChannels = (arch: Architecture) => arch.latent / (arch.bottleneckSide * arch.bottleneckSide);
