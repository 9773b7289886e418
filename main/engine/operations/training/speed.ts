// How fast this machine trains a project, so the Train screen can say before Start how far a time budget goes:
// from the project's own recorded steps when it has trained, else by timing a few real training steps of its
// model on its images (nothing is written to the project).
import { Adam } from '../../ml/adam';
import type { BackendReport } from '../../ml/backends';
import { Rng } from '../../ml/rng';
import type { ProjectStore } from '../../store';
import { trainingKind } from './project-kind';
import { createStepper } from './stepper';

/** Gaps longer than this between two recorded points are a pause or a stop, not training. */
const MAX_GAP_MS = 60_000;
/** The newest stretch of recorded training the speed is taken from (the machine may have changed since). */
const RECENT_INTERVALS = 60;
/** Enough recorded training to trust: this many seconds over at least MIN_INTERVALS intervals. */
const MIN_SECONDS = 2;
const MIN_INTERVALS = 3;

/**
 * Examples per second over the newest recorded training of the project (its newest run with enough of it), epoch
 * ends included, as a person waits for them; null when it has not trained long enough to say.
 */
export function recordedSpeed(store: ProjectStore): number | null {
  const examples = store.images.counts().train * trainingKind(store).examplesPerImage;
  for (const run of store.runs.list().sort((a, b) => b.id - a.id)) {
    const points = store.metrics.list(run.id, { split: 'train' });
    let steps = 0;
    let ms = 0;
    let intervals = 0;
    for (let i = points.length - 1; i > 0 && intervals < RECENT_INTERVALS; i--) {
      const dt = points[i].wallTimeMs - points[i - 1].wallTimeMs;
      const ds = points[i].step - points[i - 1].step;
      if (!(dt > 0 && dt <= MAX_GAP_MS && ds > 0)) continue;
      steps += ds;
      ms += dt;
      intervals++;
    }
    if (intervals >= MIN_INTERVALS && ms >= MIN_SECONDS * 1000) {
      const batch = Math.max(1, Math.min(run.config.batch, examples));
      return (steps * batch) / (ms / 1000);
    }
  }
  return null;
}

export interface SpeedTrial {
  backend: BackendReport;
  /** Examples per step. */
  batch: number;
  threads?: number;
  /** Time the steps for about this long after a warm-up step. */
  seconds?: number;
  /** Ends the trial early (e.g. training was asked to start). */
  signal?: AbortSignal;
}

const TRIAL_SECONDS = 2;
const TRIAL_MAX_STEPS = 30;

/**
 * Examples per second of this project's model training on its own images, epoch ends included: a few steps and
 * one epoch's end-of-epoch work (held-out loss, previews, a denoiser's score, the checkpoint's bytes) timed on a throwaway copy (random
 * weights: the work costs the same whatever they are). On a small dataset the epoch ends are most of the time, so
 * steps alone would promise far more than a session does. Null when the project has no images, or the trial was
 * cut short before a step was timed.
 */
export async function measureSpeed(store: ProjectStore, trial: SpeedTrial): Promise<number | null> {
  const kind = trainingKind(store);
  const set = store.images.loadPixels('train');
  const valSet = store.images.loadPixels('val');
  const evalSet = valSet.count > 0 ? valSet : set;
  const examples = set.count * kind.examplesPerImage;
  if (examples === 0) return null;
  const batch = Math.max(1, Math.min(trial.batch, examples));
  const model = kind.createModel(0);
  const adam = new Adam(model.params, { lr: 1e-4 });
  const rng = new Rng(0);
  const order = rng.permutation(examples);
  try {
    const stepper = await createStepper(model, adam, trial.backend, { lr: 1e-4, batchSize: batch, threads: trial.threads, exampleDims: kind.dims });
    try {
      let step = 0;
      const once = async () => {
        const start = (step++ * batch) % Math.max(1, examples - batch + 1);
        await stepper.step(adam, kind.batch(model, set, order.subarray(start, start + batch), rng), 1);
        await new Promise<void>((resolve) => setImmediate(resolve)); // the host answers requests between steps
      };
      await once(); // warm-up: graph building, worker start
      const started = performance.now();
      let timed = 0;
      while (timed < TRIAL_MAX_STEPS && performance.now() - started < (trial.seconds ?? TRIAL_SECONDS) * 1000) {
        if (trial.signal?.aborted) break;
        await once();
        timed++;
      }
      if (timed === 0) return null;
      const stepSeconds = (performance.now() - started) / 1000 / timed;
      if (trial.signal?.aborted) return batch / stepSeconds; // cut short: the steps are all there is
      const endStarted = performance.now();
      stepper.sync(adam);
      kind.evaluate(model, evalSet, batch, 0);
      await kind.previews(model, evalSet, 0);
      kind.quality?.(model, evalSet, 0);
      model.serialize(); // the epoch's checkpoint, less its write
      adam.serialize();
      const endSeconds = (performance.now() - endStarted) / 1000;
      const stepsPerEpoch = Math.max(1, Math.floor(examples / batch));
      return (stepsPerEpoch * batch) / (stepsPerEpoch * stepSeconds + endSeconds);
    } finally {
      await stepper.close();
    }
  } finally {
    adam.dispose();
    model.dispose();
  }
}
