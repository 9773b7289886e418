// The shipped starting point of new generator projects (resources/generator): a VAE trained by this engine on
// crops of the photos the shipped denoiser learned from (resources/generator/README.md), so a small folder is not
// learned from random weights. Only a project of exactly that shape can start from it.
import { readFileSync } from 'node:fs';
import { resourcePath } from '../resources';
import { describeArchitecture, type ModelConfig } from './architecture';

/** The shapes a starting point ships for, by file. */
export const SHIPPED_GENERATORS: readonly (Required<ModelConfig> & { file: string })[] = [
  { size: 64, latent: 128, network: 'classic', imageChannels: 3, file: 'vae-64-l128-classic.weights' },
  { size: 64, latent: 512, network: 'spatial', imageChannels: 3, file: 'vae-64-l512-spatial.weights' },
];

/** The shipped starting point made for models of `config`'s shape, if one was. */
export function shippedGeneratorFor(config: ModelConfig): (typeof SHIPPED_GENERATORS)[number] | undefined {
  const arch = describeArchitecture(config);
  return SHIPPED_GENERATORS.find((s) => s.size === arch.size && s.latent === arch.latent && s.network === arch.network && s.imageChannels === arch.imageChannels);
}

/** resources/generator/<file> of the starting point for models of `config`'s shape; undefined if none or absent. */
export function pretrainedGeneratorPath(config: ModelConfig): string | undefined {
  const shipped = shippedGeneratorFor(config);
  return shipped && resourcePath('generator', shipped.file);
}

/** The shipped weights for a model of `config`'s shape, when this installation has them. */
export function pretrainedGenerator(config: ModelConfig): { weights: Uint8Array; path: string } | undefined {
  const path = pretrainedGeneratorPath(config);
  return path ? { weights: readFileSync(path), path } : undefined;
}
