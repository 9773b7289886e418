// Training: defaults from the dataset, start / pause / resume / stop of the background run, its live state,
// the recorded history for charts after a reload, and which backend runs.
import { RpcError } from '../../../shared/contract/define';
import type { TrainFormOptions } from '../../../shared/services/training';
import { DEFAULTS } from '../../engine/operations/run-config';
import type { Network } from '../../engine/ml/architecture';
import { pretrainedGeneratorPath } from '../../engine/ml/pretrained-generator';
import type { ProjectStore } from '../../engine/store';
import type { AppContext, ServiceHandlers } from '../api';
import { numericId } from '../media';
import { metricEvent, previewEvent, type TrainingController } from '../training-controller';
import { trainingKind } from '../../engine/operations/training/project-kind';
import { OPEN_ENDED_EPOCHS } from '../../../shared/training-config';

/** Roughly how many optimisation steps the suggested run takes: enough to learn something, not all night. */
const TARGET_STEPS = 2000;
const MIN_EPOCHS = 5;
const MAX_EPOCHS = 100;

export function createTrainingHandlers(app: AppContext, training: TrainingController): ServiceHandlers<'training'> {
  app.registerMedia('preview', (id) => {
    const previewId = numericId(id);
    const preview = previewId === null ? undefined : app.session.current()?.previews.get(previewId);
    return preview ? { mime: 'image/png', bytes: Buffer.from(preview.png), filename: `preview-${preview.id}.png` } : null;
  });

  return {
    defaults: () => suggestedOptions(app.session.requireStore()),
    start: (options) => training.start(options),
    async pause() {
      await training.pause();
      return {};
    },
    async resume() {
      await training.resume();
      return {};
    },
    async stop() {
      await training.stop();
      return {};
    },
    state: () => training.current(),
    history({ runId }) {
      const store = app.session.requireStore();
      const run = runId === undefined ? store.runs.latest() : store.runs.get(runId);
      if (!run) {
        if (runId === undefined) return { metrics: [], previews: [] };
        throw new RpcError('not-found', `There is no training run ${runId} in this project.`);
      }
      return {
        // A diverged step is stored as NaN: a chart has nothing to draw for it.
        metrics: store.metrics.list(run.id).filter((p) => Number.isFinite(p.total)).map(metricEvent),
        previews: store.previews.list(run.id).map((p) => previewEvent(p, app)),
      };
    },
    backend: () => training.backend(),
    estimate: (input) => training.estimate(app.session.requireStore(), input),
  };
}

/**
 * The form's starting point: the settings of an unfinished run (so Start continues it), otherwise settings
 * sized to the dataset — batches no larger than it, and more epochs for fewer images. A generator starts with a
 * quick session, measured in time; a denoiser, which works before any training and is scored at each epoch's end,
 * keeps its epochs-based run (best). A run measured in time (open-ended) offers best as many epochs again as a new
 * run would get.
 */
export function suggestedOptions(store: ProjectStore): TrainFormOptions {
  // A denoise project's rows hold several crops each, and its kind has its own KL weight and learning rate.
  const kind = trainingKind(store);
  const examples = store.images.counts().train * kind.examplesPerImage;
  const epochsFor = (batch: number) => {
    const stepsPerEpoch = Math.max(1, Math.floor(examples / Math.max(1, Math.min(batch, examples))));
    return Math.min(MAX_EPOCHS, Math.max(MIN_EPOCHS, Math.round(TARGET_STEPS / stepsPerEpoch)));
  };
  const latest = store.runs.latest();
  if (latest && latest.status !== 'completed') {
    const { epochs, batch, lr, beta, seed } = latest.config;
    const network = kind.defaultNetwork && (latest.config.network ?? 'classic');
    const fromScratch = shippedStartOffered(store, network);
    if (epochs < OPEN_ENDED_EPOCHS) return { epochs, batch, lr, beta, seed, newRun: false, time: 'best', network, fromScratch };
    const reached = store.checkpoints.list(latest.id)[0]?.epoch ?? 0;
    return { epochs: reached + epochsFor(batch), batch, lr, beta, seed, newRun: false, time: 'quick', network, fromScratch };
  }
  const batch = examples >= 256 ? DEFAULTS.batch : examples >= 64 ? 16 : Math.max(1, Math.min(8, examples));
  const time = store.getSettings().kind === 'denoise' ? 'best' : 'quick';
  const network = kind.defaultNetwork;
  return { epochs: epochsFor(batch), batch, lr: kind.defaultLr ?? DEFAULTS.lr, beta: kind.defaultBeta ?? DEFAULTS.beta, seed: DEFAULTS.seed, newRun: false, time, network, fromScratch: shippedStartOffered(store, network) };
}

/** false (offered, unticked) when a new run of `network` in this generator project would start from a shipped model; else absent. */
function shippedStartOffered(store: ProjectStore, network: Network | undefined): false | undefined {
  const { kind, imageSize, latentSize, imageChannels } = store.getSettings();
  const shipped = kind === 'generate' && network && pretrainedGeneratorPath({ size: imageSize, latent: latentSize, imageChannels, network }) !== undefined;
  return shipped ? false : undefined;
}
