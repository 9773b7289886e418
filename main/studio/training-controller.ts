// Training in the background of the app: one run at a time as a "train" job, its live state, and pause /
// resume / stop. Pausing and stopping both end the job at the next step with a checkpoint saved (train.ts
// checkpoints when aborted); resuming runs train again, which continues exactly from that checkpoint.
import { randomBytes } from 'node:crypto';
import { RpcError } from '../../shared/contract/define';
import type { ProgressEvent } from '../../shared/progress';
import { IDLE_TRAINING_STATE, type TrainFormOptions, type TrainingState } from '../../shared/services/training';
import { changedFixedSetting, type FixedSetting } from '../../shared/training-config';
import { type BackendChoice, type BackendReport, initBackend } from '../engine/ml/backends';
import { train, type TrainResult } from '../engine/operations/train';
import type { MetricPoint, PreviewInfo, ProjectStore } from '../engine/store';
import type { AppContext } from './api';
import { toRpcError } from './errors';
import { TrainingEta } from './eta';
import type { SpeedMemory } from './speed-memory';
import { TrainingEstimates } from './training-estimate';
import { trainingKind } from '../engine/operations/training/project-kind';
import { denoiserScores, shippedStillBetter } from '../engine/operations/denoiser-session';

/** How the app names each setting a run keeps for its whole life (shared/training-config.ts's rule). */
const FIXED_LABELS: Record<FixedSetting, string> = {
  batch: 'batch size',
  lr: 'learning rate',
  beta: 'beta',
  warmupSteps: 'KL warm-up',
  seed: 'seed',
};

export class TrainingController {
  private state: TrainingState = { ...IDLE_TRAINING_STATE };
  private jobId: string | null = null;
  /** Why the running job is being ended: a pause can be resumed, a stop returns to idle. */
  private intent: 'pause' | 'stop' | null = null;
  private ended: Promise<void> = Promise.resolve();
  private stepsPerEpoch = 1;
  /** The options of the paused run, for resume(). */
  private pausedOptions: TrainFormOptions | null = null;
  private backendReport: Promise<BackendReport> | null = null;
  private eta: TrainingEta | null = null;
  /** When the running session's time budget ends (seconds on performance.now's clock); null without one. */
  private budgetEnds: number | null = null;
  private readonly estimates: TrainingEstimates;

  constructor(
    private readonly app: AppContext,
    private readonly backendChoice: BackendChoice,
    /** Where the speed of each session is remembered, for estimates before the next Start. */
    private readonly speeds?: SpeedMemory,
  ) {
    this.estimates = new TrainingEstimates(() => this.backendInUse(), speeds);
  }

  /** How far quick, good and best (`epochs` at `batch`) go from where the project's latest run stands (or from 0). */
  estimate(store: ProjectStore, { epochs, batch, newRun }: { epochs: number; batch: number; newRun: boolean }) {
    const latest = store.runs.latest();
    const continuing = !newRun && latest !== undefined && latest.status !== 'completed';
    return this.estimates.estimate(store, {
      epochs,
      batch,
      newRun: !continuing,
      from: continuing ? (restingState(store).step ?? 0) : 0,
      runningSpeed: this.isBusy() ? this.state.imagesPerSecond : null,
      busy: this.isBusy() || this.app.jobs.list().length > 0,
    });
  }

  current(): TrainingState {
    return { ...this.state };
  }

  /** The run being trained or paused, if any. */
  activeRunId(): number | null {
    return this.state.status === 'idle' ? null : this.state.runId;
  }

  async start(options: TrainFormOptions): Promise<{ runId: number }> {
    const store = this.app.session.requireStore();
    if (this.isBusy()) throw new RpcError('busy', 'Training is already running; pause or stop it first.');
    if (store.images.counts().ok === 0) {
      throw new RpcError('invalid-input', 'This project has no usable images yet; import a folder of images first.');
    }
    const newRun = options.newRun || options.fromScratch === true || startsNewRun(store, options);
    const jobId = `train-${randomBytes(6).toString('hex')}`;
    this.jobId = jobId;
    this.intent = null;
    this.pausedOptions = null;
    this.set({ ...IDLE_TRAINING_STATE, ...restingState(store), status: 'starting', backend: this.state.backend });
    // Steps being timed for an estimate would share the cores with training's first steps.
    await this.estimates.stopTrial();
    if (jobId !== this.jobId || this.intent) {
      // Stopped, or another project opened, while the timed steps were ending: nothing was started.
      if (jobId === this.jobId) this.set({ ...this.state, status: 'idle', etaSeconds: null });
      if (jobId === this.jobId) this.jobId = null;
      throw new RpcError('cancelled', 'Training was stopped before its first step.');
    }

    let started!: (runId: number) => void;
    const startedRun = new Promise<number>((resolve) => (started = resolve));
    const finished = this.app.jobs.run(jobId, 'train', (ctx) =>
      train(
        store,
        // Quick and good are measured in time: the epochs under "details" are best's, so they bound only best.
        { ...options, epochs: options.time === 'best' ? options.epochs : undefined, newRun, backend: this.backendChoice },
        {
          ...ctx,
          onProgress: (event) => {
            ctx.onProgress?.(event);
            this.progress(event);
          },
          onNotice: (line) => {
            ctx.onNotice?.(line);
            this.set({ ...this.state, notes: [...this.state.notes, line] });
          },
          onStart: (info) => {
            this.stepsPerEpoch = info.stepsPerEpoch;
            this.eta = new TrainingEta(info.step);
            this.budgetEnds = info.budgetSeconds === null ? null : performance.now() / 1000 + info.budgetSeconds;
            this.set({
              ...this.state,
              status: this.intent ? 'stopping' : 'running',
              runId: info.runId,
              step: info.step,
              epoch: Math.floor(info.step / info.stepsPerEpoch),
              epochs: info.epochs,
              totalSteps: info.totalSteps,
              backend: describeBackend(info.backend),
              budgetSeconds: info.budgetSeconds,
              // Counted down from the budget at once; the steps' own estimate may later say the run ends sooner.
              etaSeconds: info.budgetSeconds,
            });
            started(info.runId);
          },
          onMetric: (point) => this.app.emit('training', 'metric', metricEvent(point)),
          onPreview: (preview) => this.app.emit('training', 'preview', previewEvent(preview, this.app)),
          onCheckpoint: () => {
            this.app.emit('checkpoints', 'changed', {});
            const denoising = denoisingState(store);
            if (denoising) this.set({ ...this.state, denoising });
          },
        },
      ),
    );
    this.ended = finished.then(
      (result) => this.finished(jobId, result, options),
      (error) => this.failed(jobId, error),
    );
    return { runId: await Promise.race([startedRun, finished.then((result) => result.runId)]) };
  }

  /** Ends the run at the next step with a checkpoint saved; resume() continues it. */
  async pause(): Promise<void> {
    if (this.state.status !== 'running' && this.state.status !== 'starting') {
      throw new RpcError('invalid-input', 'Training is not running, so there is nothing to pause.');
    }
    await this.end('pause');
  }

  async resume(): Promise<{ runId: number }> {
    if (this.state.status !== 'paused' || !this.pausedOptions) {
      throw new RpcError('invalid-input', 'Training is not paused; start a run instead.');
    }
    return this.start({ ...this.pausedOptions, newRun: false, fromScratch: false });
  }

  /** Saves a checkpoint and ends the run's session; starting again later continues it. */
  async stop(): Promise<void> {
    if (this.state.status === 'paused') {
      this.pausedOptions = null;
      this.set({ ...this.state, status: 'idle', etaSeconds: null });
      return;
    }
    if (this.isBusy()) await this.end('stop');
  }

  /** The backend training runs on, and why not a faster one. */
  async backend(): Promise<{ name: string; reason: string }> {
    return describeBackend(await this.backendInUse());
  }

  private async backendInUse(): Promise<BackendReport> {
    this.backendReport ??= initBackend(this.backendChoice);
    try {
      return await this.backendReport;
    } catch (error) {
      this.backendReport = null;
      throw error;
    }
  }

  /** Whether a run is being trained (not paused or idle): switching project would stop it. */
  isRunning(): boolean {
    return this.isBusy();
  }

  /**
   * Forgets the state of the previous project (its jobs have already ended) and shows where the newly opened
   * one's latest run stands: its epoch and step at the newest checkpoint, so earlier work never looks lost.
   */
  reset(): void {
    // The ended job's own report may still be on its way: it belongs to the old project, so it is dropped.
    this.jobId = null;
    this.pausedOptions = null;
    this.eta = null;
    this.budgetEnds = null;
    this.estimates.reset();
    const store = this.app.session.current();
    this.set({ ...IDLE_TRAINING_STATE, ...(store ? restingState(store) : {}), backend: this.state.backend });
  }

  private isBusy(): boolean {
    return this.state.status === 'starting' || this.state.status === 'running' || this.state.status === 'stopping';
  }

  private async end(intent: 'pause' | 'stop'): Promise<void> {
    this.intent = intent;
    if (this.state.status !== 'stopping') this.set({ ...this.state, status: 'stopping', etaSeconds: null });
    if (this.jobId) this.app.jobs.cancel(this.jobId);
    await this.ended;
  }

  private progress(event: ProgressEvent): void {
    const step = Number(event.detail?.step ?? this.state.step);
    const now = performance.now() / 1000;
    const stepsEta = this.eta?.update(step, this.state.totalSteps, now) ?? null;
    // With a time budget, whichever ends first: the budget, or the run's last step.
    const budgetLeft = this.budgetEnds === null ? null : Math.max(0, this.budgetEnds - now);
    const etaSeconds = budgetLeft === null ? stepsEta : Math.min(budgetLeft, stepsEta ?? Infinity);
    const rate = Number(event.detail?.imagesPerSecond);
    const imagesPerSecond = Number.isFinite(rate) && rate > 0 ? rate : this.state.imagesPerSecond;
    this.set({ ...this.state, step, epoch: Math.floor(step / this.stepsPerEpoch), etaSeconds, imagesPerSecond });
  }

  private finished(jobId: string, result: TrainResult, options: TrainFormOptions): void {
    if (jobId !== this.jobId) return;
    const settings = this.app.session.current()?.getSettings();
    if (settings && this.state.imagesPerSecond) void this.speeds?.record(settings.kind, settings.imageSize, this.state.imagesPerSecond);
    // A pause, or a cancel from the jobs list, keeps the run resumable; a stop, a spent budget or a completed run is idle.
    const paused = result.stopped === 'interrupted' && this.intent !== 'stop';
    this.pausedOptions = paused ? options : null;
    this.budgetEnds = null;
    this.set({
      ...this.state,
      status: paused ? 'paused' : 'idle',
      runId: result.runId,
      step: result.step,
      epoch: result.epoch,
      etaSeconds: null,
      backend: describeBackend(result.backend),
      savedStep: result.stopped === 'interrupted' || result.stopped === 'time' ? result.step : null,
      stopped: result.stopped,
    });
    this.jobId = null;
  }

  private failed(jobId: string, error: unknown): void {
    if (jobId !== this.jobId) return;
    const rpc = toRpcError(error, 'training');
    // A refused start (another job runs) or a cancel during setup is not an error of the run.
    const lastError = rpc.code === 'busy' || rpc.code === 'cancelled' ? null : rpc.message;
    this.set({ ...this.state, status: 'idle', etaSeconds: null, lastError });
    this.jobId = null;
  }

  private set(state: TrainingState): void {
    this.state = state;
    this.app.emit('training', 'state', { ...state });
  }
}

/** Where the latest run of a project stands, from its newest checkpoint (nothing when it has none). */
export function restingState(store: ProjectStore): Partial<TrainingState> {
  const run = store.runs.latest();
  if (!run) return {};
  const checkpoint = store.checkpoints.list(run.id)[0];
  const config = run.config;
  const epochs = config.epochs;
  const examples = store.images.counts().train * trainingKind(store).examplesPerImage;
  const batch = Math.max(1, Math.min(config.batch, examples));
  const stepsPerEpoch = Math.max(1, Math.floor(examples / batch));
  return {
    runId: run.id,
    step: checkpoint?.step ?? 0,
    epoch: checkpoint?.epoch ?? 0,
    epochs,
    totalSteps: examples > 0 ? epochs * stepsPerEpoch : 0,
    denoising: denoisingState(store),
  };
}

/** A denoise project's held-out quality against the shipped weights (see TrainingState.denoising). */
export function denoisingState(store: ProjectStore): TrainingState['denoising'] {
  if (store.getSettings().kind !== 'denoise') return null;
  const scores = denoiserScores(store);
  return scores && { psnr: scores.best.psnr, shipped: scores.shipped, usesShipped: shippedStillBetter(scores) };
}

/**
 * Whether "Start" begins a new run: yes when there is none or the last one completed (unless asked to train it
 * longer); otherwise it continues the last run, which keeps its batch size, learning rate, beta and seed.
 */
function startsNewRun(store: ProjectStore, options: TrainFormOptions): boolean {
  const latest = store.runs.latest();
  if (!latest) return true;
  // A finished run trains further only when best asks for more epochs; quick and good begin the next run.
  if (latest.status === 'completed' && (options.time !== 'best' || options.epochs <= latest.config.epochs)) return true;
  const changed = changedFixedSetting(latest.config, options);
  if (changed) {
    throw new RpcError(
      'invalid-input',
      `Run ${latest.id} trains with a ${FIXED_LABELS[changed.key]} of ${changed.saved}, not ${changed.asked}. Keep its settings to continue it, or start a new run.`,
    );
  }
  return false;
}

function describeBackend(report: BackendReport): { name: string; reason: string } {
  const chosen = report.reasons.find((r) => r.backend === report.name && r.ok);
  const better = report.reasons.filter((r) => !r.ok).map((r) => `${r.backend}: ${r.reason}`);
  const why = better.length ? ` Faster ones not used — ${better.join('; ')}.` : '';
  return { name: report.name, reason: `${chosen?.reason ?? report.name}.${why}` };
}

export function metricEvent(point: MetricPoint) {
  return {
    runId: point.runId,
    step: point.step,
    epoch: point.epoch,
    split: point.split === 'val' ? ('validation' as const) : ('train' as const),
    recon: point.recon,
    kl: point.kl,
    total: point.total,
  };
}

export function previewEvent(preview: PreviewInfo, app: Pick<AppContext, 'mediaRef'>) {
  return {
    runId: preview.runId,
    epoch: preview.epoch,
    kind: preview.kind === 'reconstruction' ? ('reconstructions' as const) : ('samples' as const),
    image: app.mediaRef('preview', preview.id),
  };
}
