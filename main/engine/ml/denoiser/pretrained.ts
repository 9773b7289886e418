// The denoisers shipped in resources/denoiser, trained by this engine on photos from Debian packages (see the
// README there): fast, which every new denoise project starts from (training on one's own photos fine-tunes it),
// and best, the larger network that `--quality best` runs.
import { readFileSync } from 'node:fs';
import { resourcePath } from '../../resources';
import { BEST_DENOISER, DEFAULT_DENOISER, type DenoiserConfig } from './architecture';

/** The shipped weights of each network, by the quality that uses them. */
export const SHIPPED_DENOISERS = {
  fast: { config: DEFAULT_DENOISER, file: 'denoiser-w32-l16.weights' },
  best: { config: BEST_DENOISER, file: 'denoiser-w64-l32-e3-d4.weights' },
} as const;
export type ShippedNetwork = keyof typeof SHIPPED_DENOISERS;

const sameConfig = (a: DenoiserConfig, b: DenoiserConfig) => (Object.keys(DEFAULT_DENOISER) as (keyof DenoiserConfig)[]).every((k) => a[k] === b[k]);

/** resources/denoiser/<file> of a shipped network, found from the source tree or from the bundle in dist/; undefined if absent. */
export function pretrainedDenoiserPath(network: ShippedNetwork = 'fast'): string | undefined {
  return resourcePath('denoiser', SHIPPED_DENOISERS[network].file);
}

/** The shipped weights when `config` is the architecture they were trained for. */
export function pretrainedDenoiser(config: DenoiserConfig): { weights: Uint8Array; path: string } | undefined {
  const network = (Object.keys(SHIPPED_DENOISERS) as ShippedNetwork[]).find((n) => sameConfig(SHIPPED_DENOISERS[n].config, config));
  const path = network && pretrainedDenoiserPath(network);
  return path ? { weights: readFileSync(path), path } : undefined;
}
