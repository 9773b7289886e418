// What a training run leaves behind as it goes: train metrics averaged over a few steps, held-out metrics and
// previews at each epoch's end, checkpoints (which also flush the pending metrics), progress with ETA, and the
// live hooks a view listens to. train.ts owns the loop; this owns everything it writes.
import type { Adam } from '../../ml/adam';
import { bitsPerDim } from '../../ml/loss';
import type { LossTerms, TrainableModel, TrainingStepper } from '../../ml/trainable';
import { type JobContext, ProgressTracker } from '../../progress';
import type { CheckpointInfo, MetricPoint, PreviewInfo, ProjectStore, RunConfig, TrainingPixels } from '../../store';
import { OPEN_ENDED_EPOCHS } from '../../../../shared/training-config';
import { STREAM, streamSeed } from '../run-config';
import type { TrainingKind } from './kind';

const CHECKPOINTS_KEPT = 3;
const METRIC_EVERY = 10;

/** What a live view (the app) hears as it happens; the same things are also written to the project. */
export interface TrainHooks {
  onMetric?: (point: MetricPoint) => void;
  onPreview?: (preview: PreviewInfo) => void;
  onCheckpoint?: (checkpoint: CheckpointInfo) => void;
}

export interface RecorderSetup {
  store: ProjectStore;
  runId: number;
  cfg: RunConfig;
  kind: TrainingKind;
  model: TrainableModel;
  adam: Adam;
  /** Holds the newest weights and optimizer state; synced into model and adam before they are read. */
  stepper: TrainingStepper;
  trainSet: TrainingPixels;
  valSet: TrainingPixels;
  /** Examples per step (the run's batch, at most the dataset). */
  batch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** The step the session started from, for the images-per-second rate. */
  resumedFromStep: number;
  /** The checkpoint the session resumed from, if any. */
  checkpointId: number | null;
  ctx: JobContext & TrainHooks;
  /** The session's clock in milliseconds (performance.now unless a test injects one). */
  now?: () => number;
}

export class RunRecorder {
  lastTrain: LossTerms | null = null;
  lastVal: (LossTerms & { bitsPerDim: number }) | null = null;
  /**
   * The held-out quality score at `step` (an epoch's end, or the session's last checkpoint), and the starting
   * weights' (measured once per session). Only the checkpoint at that step carries it: a later one holds other weights.
   */
  quality: { value: number; starting: number | null; step: number } | null = null;
  private startingQuality: number | null | undefined;
  checkpointId: number | null;
  private pendingMetrics: MetricPoint[] = [];
  private window = { recon: 0, kl: 0, n: 0 };
  private readonly progress: ProgressTracker;
  private readonly started = performance.now();
  private prior = { at: -Infinity, seconds: 0 };

  constructor(private readonly run: RecorderSetup) {
    this.checkpointId = run.checkpointId;
    this.progress = new ProgressTracker('train', run.ctx.onProgress, 250, run.now);
  }

  /** The session ends `seconds` from now at the latest: progress counts the budget down. */
  startBudget(seconds: number): void {
    this.progress.startBudget(seconds);
  }

  /** Records one finished step (`step` counts it) of `epoch` (0-based) and reports progress. */
  afterStep(step: number, epoch: number, losses: LossTerms): void {
    const { cfg, kind, stepsPerEpoch, totalSteps, runId } = this.run;
    this.lastTrain = losses;
    this.window = { recon: this.window.recon + losses.recon, kl: this.window.kl + losses.kl, n: this.window.n + 1 };
    if (step % METRIC_EVERY === 0 || step % stepsPerEpoch === 0) {
      const recon = this.window.recon / this.window.n;
      const kl = this.window.kl / this.window.n;
      this.addMetric({ runId, split: 'train', step, epoch, recon, kl, total: recon + kl, bitsPerDim: bitsPerDim(recon + kl, kind.dims), wallTimeMs: Date.now() });
      this.window = { recon: 0, kl: 0, n: 0 };
    }
    const rate = this.imagesPerSecond(step);
    // An open-ended run (its length set by time budgets) has no last epoch worth printing.
    const of = (n: number) => (cfg.epochs >= OPEN_ENDED_EPOCHS ? '' : `/${n}`);
    this.progress.update(
      step,
      totalSteps,
      `epoch ${epoch + 1}${of(cfg.epochs)} · step ${step}${of(totalSteps)} · loss ${losses.total.toFixed(1)} (${bitsPerDim(losses.total, kind.dims).toFixed(3)} bits/dim) · ${rate.toFixed(1)} img/s`,
      { step, epoch: epoch + 1, epochs: cfg.epochs, totalSteps, ...losses, imagesPerSecond: rate },
      step === totalSteps,
    );
  }

  /** Held-out loss, previews and a checkpoint when epoch `epoch` (1-based) ends at `step`. */
  async endOfEpoch(epoch: number, step: number): Promise<void> {
    const { store, kind, model, adam, stepper, valSet, trainSet, batch, cfg, runId } = this.run;
    stepper.sync(adam);
    await this.fitPrior(step === this.run.totalSteps);
    const evalSet = valSet.count > 0 ? valSet : trainSet;
    const val = kind.evaluate(model, evalSet, batch, streamSeed(cfg.seed, STREAM.validation, 0));
    this.lastVal = { ...val, bitsPerDim: bitsPerDim(val.total, kind.dims) };
    this.scoreQuality(step);
    if (valSet.count > 0) {
      this.addMetric({ runId, split: 'val', step, epoch, ...val, bitsPerDim: this.lastVal.bitsPerDim, wallTimeMs: Date.now() });
    }
    const previewSeed = streamSeed(cfg.seed, STREAM.previews, 0);
    for (const preview of await kind.previews(model, evalSet, previewSeed)) {
      // Not inside `onPreview?.(…)`: an optional call skips evaluating its argument when there is no listener.
      const saved = store.previews.add({ runId, epoch, step, ...preview });
      this.run.ctx.onPreview?.(saved);
    }
    this.saveCheckpoint(step);
  }

  /** Writes the pending metrics and a checkpoint at `step`; the store keeps the newest few, the best and milestones. */
  saveCheckpoint(step: number): void {
    const { store, model, adam, stepper, cfg, runId, stepsPerEpoch } = this.run;
    stepper.sync(adam);
    store.metrics.add(this.pendingMetrics);
    this.pendingMetrics = [];
    const info = store.checkpoints.save(
      {
        runId,
        step,
        epoch: Math.floor(step / stepsPerEpoch),
        rngState: { seed: cfg.seed, step, scheme: 'counter-v1' },
        losses: {
          ...(this.lastTrain ?? {}),
          ...(this.lastVal ? { valTotal: this.lastVal.total, valBitsPerDim: this.lastVal.bitsPerDim } : {}),
          ...(this.quality?.step === step ? { valPsnr: this.quality.value, ...(this.quality.starting !== null ? { startingPsnr: this.quality.starting } : {}) } : {}),
        },
        weights: model.serialize(),
        optimizer: adam.serialize(),
      },
      { keep: CHECKPOINTS_KEPT, keepBest: true, milestones: 6, optimizerKept: 1 },
    );
    this.checkpointId = info.id;
    this.run.ctx.onCheckpoint?.(info);
  }

  /**
   * The session's last checkpoint, with the sampling prior fitted to its weights. `scored`: the session ended as
   * planned (its budget or step limit), not by a pause, so it is also scored on the held-out set as an epoch's end
   * is (a denoiser's best-checkpoint choice then sees it); a pause stays quick.
   */
  async saveLastCheckpoint(step: number, scored = false): Promise<void> {
    this.run.stepper.sync(this.run.adam);
    await this.fitPrior(true);
    if (scored) this.scoreQuality(step);
    this.saveCheckpoint(step);
  }

  /** The kind's held-out quality score (a denoiser's PSNR) of the weights at `step`, once per step. */
  private scoreQuality(step: number): void {
    const { kind, model, valSet, trainSet, cfg } = this.run;
    if (!kind.quality || this.quality?.step === step) return;
    const evalSet = valSet.count > 0 ? valSet : trainSet;
    const seed = streamSeed(cfg.seed, STREAM.validation, 1);
    this.startingQuality ??= kind.startingQuality?.(evalSet, seed) ?? null;
    this.quality = { value: kind.quality(model, evalSet, seed), starting: this.startingQuality, step };
  }

  /**
   * Refits what the model samples from (a generator's prior) at an epoch's end when that costs at most a tenth of
   * the time since the last fit, and always for a session's last checkpoint, so short epochs are not slowed down.
   */
  private async fitPrior(force: boolean): Promise<void> {
    const { kind, model, trainSet, cfg } = this.run;
    if (!kind.fitPrior) return;
    const now = performance.now() / 1000;
    if (!force && now - this.prior.at < 10 * this.prior.seconds) return;
    await kind.fitPrior(model, trainSet, streamSeed(cfg.seed, STREAM.prior, 0));
    this.prior = { at: performance.now() / 1000, seconds: performance.now() / 1000 - now };
  }

  /** Examples trained per second since the session started, having reached `step`. */
  imagesPerSecond(step: number): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? ((step - this.run.resumedFromStep) * this.run.batch) / seconds : 0;
  }

  private addMetric(point: MetricPoint): void {
    this.pendingMetrics.push(point);
    this.run.ctx.onMetric?.(point);
  }
}
