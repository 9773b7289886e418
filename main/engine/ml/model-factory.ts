// Builds a trainable model from its spec (the training loop's workers rebuild the trainer's model this way).
import { DenoiserModel } from './denoiser/model';
import { VaeModel } from './model';
import type { ModelSpec, TrainableModel } from './trainable';

export function createTrainable(spec: ModelSpec, seed: number): TrainableModel {
  return spec.kind === 'vae' ? VaeModel.create(spec.config, seed) : DenoiserModel.create(spec.config, seed);
}
