// What differs between training a generator and training a denoiser; the training service (../train.ts) owns
// everything they share: runs, resume, checkpoints, metrics, previews, progress and stopping. Each kind's file
// implements this interface; project-kind.ts picks one, so no kind imports the chooser back.
import type { LossTerms, TrainableModel, TrainBatch } from '../../ml/trainable';
import type { Rng } from '../../ml/rng';
import type { TrainingPixels } from '../../store/training-pixels';
import type { PreviewKind } from '../../store/previews';
import type { RunConfig } from '../../store';
import type { Network } from '../../ml/architecture';

export interface TrainingKind {
  /** Examples a stored image row yields (a denoise project stores several crops per photo). */
  examplesPerImage: number;
  /** Dimensions of one example, for bits/dim. */
  dims: number;
  /** KL weight of a new run when --beta is not given (else the run settings' default). */
  defaultBeta?: number;
  /** Learning rate of a new run when --lr is not given (else the run settings' default). */
  defaultLr?: number;
  /** The layers of a new run when --network is not given; undefined where the kind has no choice (denoisers). */
  defaultNetwork?: Network;
  /** A fresh model for `run` (its shape and network). */
  createModel(seed: number, run?: Pick<RunConfig, 'network'>): TrainableModel;
  /**
   * Weights a new run of `run`'s layers starts from instead of random ones (a shipped starting point), with a line
   * saying so; `train --from-scratch` skips them.
   */
  initialWeights?(run: Pick<RunConfig, 'network'>): { weights: Uint8Array; notice: string } | undefined;
  /** The batch for examples `indices` of `set`, drawing all randomness from `rng`. */
  batch(model: TrainableModel, set: TrainingPixels, indices: ArrayLike<number>, rng: Rng): TrainBatch;
  /** Held-out loss per example (seeded, so every epoch is measured on the same noise and latents). */
  evaluate(model: TrainableModel, set: TrainingPixels, batch: number, seed: number): LossTerms;
  previews(model: TrainableModel, set: TrainingPixels, seed: number): Promise<{ kind: PreviewKind; png: Buffer }[]>;
  /**
   * A held-out quality score, higher is better (a denoiser's PSNR in dB), of the model and of the weights a new run
   * starts from; recorded with each checkpoint so the best can be chosen (see ../denoiser-session.ts).
   */
  quality?(model: TrainableModel, set: TrainingPixels, seed: number): number;
  startingQuality?(set: TrainingPixels, seed: number): number | undefined;
  /** Fits what the model samples from to what it learned (a generator's prior), saved with the checkpoint. */
  fitPrior?(model: TrainableModel, set: TrainingPixels, seed: number): Promise<void>;
}
