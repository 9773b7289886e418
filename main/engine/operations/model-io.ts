// Bringing a project's model to life: from a checkpoint for inference, or fresh for a new run.
import { VaeModel } from '../ml/model';
import type { ModelConfig } from '../ml/architecture';
import { imageChannelsOf } from '../ml/params';
import type { Checkpoint, ProjectStore } from '../store';
import { InvalidOptionError } from './options';

export class NoCheckpointError extends Error {
  constructor(project: string) {
    super(`${project} has no trained checkpoint yet; run "vae-studio train ${project}" first`);
    this.name = 'NoCheckpointError';
  }
}

/**
 * The generator a checkpoint holds: the project's sizes, the layers of the run that made it, and the channels its
 * weights have (an RGB checkpoint stays usable after a project starts keeping transparency, and the other way round).
 */
export function modelConfig(store: ProjectStore, checkpoint: Pick<Checkpoint, 'runId' | 'weights'>): ModelConfig {
  const s = store.getSettings();
  const network = store.runs.get(checkpoint.runId)?.config.network;
  return { size: s.imageSize, latent: s.latentSize, network, imageChannels: imageChannelsOf(checkpoint.weights) };
}

/** The checkpoint by id, or the newest intact one; throws a clear error when there is none. */
export function pickCheckpoint(store: ProjectStore, checkpointId?: number, onDamaged?: (message: string) => void): Checkpoint {
  if (checkpointId !== undefined) {
    const cp = store.checkpoints.get(checkpointId);
    if (!cp) throw new Error(`${store.path} has no checkpoint ${checkpointId} (see "vae-studio info ${store.path}")`);
    return cp;
  }
  const cp = store.checkpoints.latest(undefined, (e) => onDamaged?.(e.message));
  if (!cp) throw new NoCheckpointError(store.path);
  return cp;
}

export function loadModel(store: ProjectStore, checkpointId?: number): { model: VaeModel; checkpoint: Checkpoint } {
  if (store.getSettings().kind === 'denoise') {
    throw new InvalidOptionError(`${store.path} is a denoise project: it has no generator to sample or reconstruct with; use "vae-studio denoise"`);
  }
  const checkpoint = pickCheckpoint(store, checkpointId);
  const model = VaeModel.create(modelConfig(store, checkpoint), 0);
  try {
    model.load(checkpoint.weights);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, checkpoint };
}
