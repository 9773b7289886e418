// Starts a larger denoiser from a trained smaller one with the same function (ml/denoiser/widen.ts), so that
// training the larger network begins where the smaller one ended.
// Usage: npx tsx scripts/widen-denoiser.ts <small.weights> <out.weights> [--width W --latent L --enc E --dec D]
// (default: BEST_DENOISER, the best quality's network; the small one is DEFAULT_DENOISER, the fast network)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BEST_DENOISER, DEFAULT_DENOISER, type DenoiserConfig } from '../main/engine/ml/denoiser/architecture';
import { widenDenoiser } from '../main/engine/ml/denoiser/widen';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    width: { type: 'string', default: String(BEST_DENOISER.width) },
    latent: { type: 'string', default: String(BEST_DENOISER.latent) },
    enc: { type: 'string', default: String(BEST_DENOISER.encoderLayers) },
    dec: { type: 'string', default: String(BEST_DENOISER.decoderLayers) },
  },
});
const [input, output] = positionals;
if (!input || !output) throw new Error('usage: widen-denoiser <small.weights> <out.weights> [--width --latent --enc --dec]');
const big: DenoiserConfig = { width: Number(values.width), latent: Number(values.latent), encoderLayers: Number(values.enc), decoderLayers: Number(values.dec) };
writeFileSync(output, widenDenoiser(readFileSync(input), DEFAULT_DENOISER, big));
console.log(`${input} (${JSON.stringify(DEFAULT_DENOISER)}) → ${output} (${JSON.stringify(big)})`);
