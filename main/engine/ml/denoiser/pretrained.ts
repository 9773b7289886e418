// The denoiser shipped in resources/denoiser: trained by this engine on photos from Debian packages (see the
// README there), so a new denoise project starts from working weights and training on the user's photos
// fine-tunes them.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DENOISER, type DenoiserConfig } from './architecture';

export const PRETRAINED_FILE = 'denoiser-w32-l16.weights';

/** resources/denoiser/<file>, found from the source tree or from the bundle in dist/; undefined if absent. */
export function pretrainedDenoiserPath(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['..', '../..', '../../..', '../../../..']) {
    const file = resolve(here, up, 'resources', 'denoiser', PRETRAINED_FILE);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The shipped weights when `config` is the architecture they were trained for. */
export function pretrainedDenoiser(config: DenoiserConfig): { weights: Uint8Array; path: string } | undefined {
  const same = (Object.keys(DEFAULT_DENOISER) as (keyof DenoiserConfig)[]).every((k) => config[k] === DEFAULT_DENOISER[k]);
  const path = same ? pretrainedDenoiserPath() : undefined;
  return path ? { weights: readFileSync(path), path } : undefined;
}
