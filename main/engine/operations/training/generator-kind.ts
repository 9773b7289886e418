// Training a generator VAE: whole prepared images, random left–right flips, one latent vector per image.
import { basename } from 'node:path';
import { gatherBatch, randomFlips } from '../../ml/batches';
import { VaeModel } from '../../ml/model';
import { defaultNetwork } from '../../ml/architecture';
import { pretrainedGenerator } from '../../ml/pretrained-generator';
import type { SavedSettings } from '../../store';
import { evaluateLoss } from '../evaluate-loss';
import { fitPosteriorPrior } from '../fit-prior';
import { PREVIEW_RECONSTRUCTIONS, PREVIEW_SAMPLES, reconstructionSheet, sampleSheet } from '../previews';
import type { TrainingKind } from './kind';

export function generatorTraining(settings: SavedSettings): TrainingKind {
  const size = settings.imageSize;
  const latent = settings.latentSize;
  const channels = settings.imageChannels;
  const vae = (m: unknown) => m as VaeModel;
  return {
    examplesPerImage: 1,
    dims: size * size * channels,
    defaultNetwork: defaultNetwork(latent),
    createModel: (seed, run) => VaeModel.create({ size, latent, network: run?.network, imageChannels: channels }, seed),
    // Said by the app and the CLI alike, so it names no flag or control: each documents its own way to opt out.
    initialWeights: (run) => {
      const pre = pretrainedGenerator({ size, latent, network: run.network, imageChannels: channels });
      return pre && { weights: pre.weights, notice: `Starting from the shipped ${size}×${size} model, trained on photos, not from random weights (${basename(pre.path)})` };
    },
    batch: (_model, set, indices, rng) =>
      VaeModel.batch(gatherBatch(set.data, size, indices, randomFlips(rng, indices.length), channels), rng.normals(indices.length * latent), indices.length),
    evaluate: (model, set, batch, seed) => evaluateLoss(vae(model), set.data, set.count, batch, seed),
    fitPrior: (model, set, seed) => fitPosteriorPrior(vae(model), set, seed),
    previews: async (model, set, seed) => [
      { kind: 'reconstruction', png: await reconstructionSheet(vae(model), set.data, PREVIEW_RECONSTRUCTIONS) },
      { kind: 'samples', png: await sampleSheet(vae(model), PREVIEW_SAMPLES, seed) },
    ],
  };
}
