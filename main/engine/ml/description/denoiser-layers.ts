// The denoising VAE's layers, described once (see ./layers.ts for the compilers). Fully convolutional with a
// spatial latent: a stride-2 convolution to half resolution, 3×3 layers, 1×1 Gaussian heads; the decoder maps the
// latent map back up to a residual that is added to the noisy input.
import { type DenoiserConfig, EDGE_KERNEL, INNER_KERNEL, SCALE } from '../denoiser/architecture';
import type { LayerCompiler } from './layers';

/** The encoder's trunk (before the heads). */
function trunk<T>(c: LayerCompiler<T>, cfg: DenoiserConfig, noisy: T): T {
  let h = c.conv(noisy, 'enc.in', { kernel: EDGE_KERNEL, stride: SCALE, act: 'leaky' });
  for (let i = 0; i < cfg.encoderLayers; i++) h = c.conv(h, `enc${i}`, { kernel: INNER_KERNEL, stride: 1, act: 'leaky' });
  return h;
}

export function denoiserEncoder<T>(c: LayerCompiler<T>, cfg: DenoiserConfig, noisy: T): { mu: T; logvar: T } {
  const h = trunk(c, cfg, noisy);
  return { mu: c.conv(h, 'enc.mu', { kernel: 1, stride: 1, act: 'none' }), logvar: c.conv(h, 'enc.logvar', { kernel: 1, stride: 1, act: 'none' }) };
}

/** The posterior mean alone (what inference decodes). */
export function denoiserPosteriorMean<T>(c: LayerCompiler<T>, cfg: DenoiserConfig, noisy: T): T {
  return c.conv(trunk(c, cfg, noisy), 'enc.mu', { kernel: 1, stride: 1, act: 'none' });
}

/** Mean of the clean image given the noisy one and a latent map. */
export function denoiserDecoder<T>(c: LayerCompiler<T>, cfg: DenoiserConfig, noisy: T, z: T): T {
  let h = c.conv(z, 'dec.in', { kernel: INNER_KERNEL, stride: 1, act: 'leaky' });
  for (let i = 0; i < cfg.decoderLayers; i++) h = c.conv(h, `dec${i}`, { kernel: INNER_KERNEL, stride: 1, act: 'leaky' });
  return c.add(noisy, c.deconv(h, 'dec.out', { kernel: EDGE_KERNEL, stride: SCALE, act: 'none' }));
}
