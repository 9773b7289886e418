// Training: runs or resumes a project's training from its newest checkpoint, reporting progress with ETA,
// checkpointing on an interval, at each epoch's end and when stopped, and recording metrics and previews.
import { initBackend, type BackendChoice, type BackendReport } from '../ml/backends';
import { Adam } from '../ml/adam';
import { bitsPerDim, klWeight } from '../ml/loss';
import type { LossTerms } from '../ml/trainable';
import { Rng } from '../ml/rng';
import { DataParallelTrainer } from '../ml/parallel/data-parallel';
import { availableParallelism } from 'node:os';
import { type JobContext, ProgressTracker } from '../jobs/progress';
import type { CheckpointInfo, MetricPoint, PreviewInfo, ProjectStore, Run } from '../store';
import { trainingKind } from './training/kind';
import { newRunSettings, resumeSettings, type RunSettings, STREAM, streamSeed, type TrainOptions, trainOptionsSchema } from './run-config';
import { parseOptions } from './options';

export type StopReason = 'completed' | 'max-steps' | 'interrupted';

export interface TrainResult {
  runId: number;
  resumedFromStep: number;
  step: number;
  epoch: number;
  stepsRun: number;
  stopped: StopReason;
  train: LossTerms | null;
  val: (LossTerms & { bitsPerDim: number }) | null;
  imagesPerSecond: number;
  checkpointId: number | null;
  backend: BackendReport;
  threads: number;
}

const CHECKPOINTS_KEPT = 3;
const MAX_DEFAULT_THREADS = 8;

function defaultThreads(): number {
  return Math.min(MAX_DEFAULT_THREADS, availableParallelism());
}
const METRIC_EVERY = 10;

/** What a live view (the app) hears as it happens; the same things are also written to the project. */
export interface TrainHooks {
  /** The run is set up and about to take its first step. */
  onStart?: (info: { runId: number; step: number; totalSteps: number; stepsPerEpoch: number; epochs: number; backend: BackendReport }) => void;
  onMetric?: (point: MetricPoint) => void;
  onPreview?: (preview: PreviewInfo) => void;
  onCheckpoint?: (checkpoint: CheckpointInfo) => void;
}

/** Lets timers and I/O run between steps, so a host on the same thread answers requests while training. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function train(
  store: ProjectStore,
  options: TrainOptions & { backend?: BackendChoice },
  ctx: JobContext & TrainHooks = {},
): Promise<TrainResult> {
  const { backend: backendChoice, ...rest } = options;
  const opts = parseOptions(trainOptionsSchema, rest);
  const backend = await initBackend(backendChoice ?? 'auto');
  const settings = store.getSettings();
  const trainSet = store.images.loadPixels('train');
  const valSet = store.images.loadPixels('val');
  const kind = trainingKind(store);
  const examples = trainSet.count * kind.examplesPerImage;
  if (trainSet.count === 0) {
    throw new Error(`${store.path} has no usable images to train on; import a folder first ("vae-studio import ${store.path} <folder>")`);
  }

  const { run, cfg, checkpoint } = openRun(store, opts, settings, examples, kind.defaultBeta, ctx.onNotice);
  const batch = Math.min(cfg.batch, examples);
  const stepsPerEpoch = Math.max(1, Math.floor(examples / batch));
  const totalSteps = Math.min(cfg.epochs * stepsPerEpoch, opts.maxSteps ?? Infinity);

  const model = kind.createModel(cfg.seed);
  const adam = new Adam(model.params, { lr: cfg.lr });
  // libtensorflow already spreads each op over the cores; the WebAssembly and JS backends need one replica per core.
  const threads = backend.name === 'wasm' || backend.name === 'cpu' ? (opts.threads ?? defaultThreads()) : 1;
  let stepper: DataParallelTrainer | null = null;
  let step = 0;
  try {
    if (checkpoint) {
      model.load(checkpoint.weights);
      adam.load(checkpoint.optimizer);
      step = checkpoint.step;
      store.metrics.discardAfter(run.id, step);
    } else {
      const initial = kind.initialWeights?.();
      if (initial) {
        model.load(initial.weights);
        ctx.onNotice?.(initial.notice);
      }
    }
    store.runs.setStatus(run.id, 'running');
    stepper = await DataParallelTrainer.create(model, threads, backend.name === 'wasm' ? 'wasm' : 'cpu');
  } catch (error) {
    await stepper?.close();
    adam.dispose();
    model.dispose();
    throw error;
  }
  const resumedFromStep = step;

  const progress = new ProgressTracker('train', ctx.onProgress, 250);
  const started = performance.now();
  let lastTrain: LossTerms | null = null;
  let lastVal: TrainResult['val'] = null;
  let checkpointId: number | null = checkpoint?.id ?? null;
  let pendingMetrics: MetricPoint[] = [];
  let window = { recon: 0, kl: 0, n: 0 };
  const dims = kind.dims;

  const saveCheckpoint = () => {
    store.metrics.add(pendingMetrics);
    pendingMetrics = [];
    const info = store.checkpoints.save(
      {
        runId: run.id,
        step,
        epoch: Math.floor(step / stepsPerEpoch),
        rngState: { seed: cfg.seed, step, scheme: 'counter-v1' },
        losses: { ...(lastTrain ?? {}), ...(lastVal ? { valTotal: lastVal.total, valBitsPerDim: lastVal.bitsPerDim } : {}) },
        weights: model.serialize(),
        optimizer: adam.serialize(),
      },
      { keep: CHECKPOINTS_KEPT, keepBest: true, milestones: 6 },
    );
    checkpointId = info.id;
    ctx.onCheckpoint?.(info);
  };
  const addMetric = (point: MetricPoint) => {
    pendingMetrics.push(point);
    ctx.onMetric?.(point);
  };

  const endOfEpoch = async (epoch: number) => {
    const evalSet = valSet.count > 0 ? valSet : trainSet;
    const val = kind.evaluate(model, evalSet, batch, streamSeed(cfg.seed, STREAM.validation, 0));
    lastVal = { ...val, bitsPerDim: bitsPerDim(val.total, dims) };
    if (valSet.count > 0) {
      addMetric({ runId: run.id, split: 'val', step, epoch, ...val, bitsPerDim: lastVal.bitsPerDim, wallTimeMs: Date.now() });
    }
    const previewSeed = streamSeed(cfg.seed, STREAM.previews, 0);
    for (const preview of await kind.previews(model, evalSet, previewSeed)) {
      // Not inside `onPreview?.(…)`: an optional call skips evaluating its argument when there is no listener.
      const saved = store.previews.add({ runId: run.id, epoch, step, ...preview });
      ctx.onPreview?.(saved);
    }
    saveCheckpoint();
  };

  let stopped: StopReason = 'completed';
  try {
    let order: Uint32Array | null = null;
    let orderEpoch = -1;
    ctx.onStart?.({ runId: run.id, step, totalSteps, stepsPerEpoch, epochs: cfg.epochs, backend });
    while (step < totalSteps) {
      await yieldToEventLoop();
      if (ctx.signal?.aborted) {
        stopped = 'interrupted';
        break;
      }
      const epoch = Math.floor(step / stepsPerEpoch);
      if (epoch !== orderEpoch) {
        order = new Rng(streamSeed(cfg.seed, STREAM.epochOrder, epoch)).permutation(examples);
        orderEpoch = epoch;
      }
      const inEpoch = step % stepsPerEpoch;
      const rng = new Rng(streamSeed(cfg.seed, STREAM.step, step));
      const indices = order!.subarray(inEpoch * batch, (inEpoch + 1) * batch);
      const losses = await stepper!.step(adam, kind.batch(model, trainSet, indices, rng), klWeight(cfg.beta, step, cfg.warmupSteps));
      if (!Number.isFinite(losses.total)) {
        throw new Error(`Training diverged at step ${step + 1} (the loss is not a number); try a lower --lr in a new run (--new-run)`);
      }
      step++;
      lastTrain = losses;
      window = { recon: window.recon + losses.recon, kl: window.kl + losses.kl, n: window.n + 1 };
      if (step % METRIC_EVERY === 0 || step % stepsPerEpoch === 0) {
        const recon = window.recon / window.n;
        const kl = window.kl / window.n;
        addMetric({ runId: run.id, split: 'train', step, epoch, recon, kl, total: recon + kl, bitsPerDim: bitsPerDim(recon + kl, dims), wallTimeMs: Date.now() });
        window = { recon: 0, kl: 0, n: 0 };
      }
      const rate = ((step - resumedFromStep) * batch) / ((performance.now() - started) / 1000);
      progress.update(
        step,
        totalSteps,
        `epoch ${epoch + 1}/${cfg.epochs} · step ${step}/${totalSteps} · loss ${losses.total.toFixed(1)} (${bitsPerDim(losses.total, dims).toFixed(3)} bits/dim) · ${rate.toFixed(1)} img/s`,
        { step, epoch: epoch + 1, epochs: cfg.epochs, totalSteps, ...losses, imagesPerSecond: rate },
        step === totalSteps,
      );
      if (step % stepsPerEpoch === 0) await endOfEpoch(epoch + 1);
      else if (step % cfg.checkpointEvery === 0) saveCheckpoint();
    }
    if (stopped === 'completed' && step < cfg.epochs * stepsPerEpoch) stopped = 'max-steps';
    if (checkpointId === null || step !== resumedFromStep) {
      if (store.checkpoints.latest(run.id)?.step !== step) saveCheckpoint();
    }
    store.runs.setStatus(run.id, stopped === 'completed' ? 'completed' : 'paused');
  } catch (error) {
    try {
      store.runs.setStatus(run.id, 'failed', error instanceof Error ? error.message : String(error));
    } catch {
      // The original error says more (e.g. the disk is full); keep it.
    }
    throw error;
  } finally {
    await stepper!.close();
    adam.dispose();
    model.dispose();
  }

  const seconds = (performance.now() - started) / 1000;
  return {
    runId: run.id,
    resumedFromStep,
    step,
    epoch: Math.floor(step / stepsPerEpoch),
    stepsRun: step - resumedFromStep,
    stopped,
    train: lastTrain,
    val: lastVal,
    imagesPerSecond: seconds > 0 ? ((step - resumedFromStep) * batch) / seconds : 0,
    checkpointId,
    backend,
    threads,
  };
}

/** The run to continue (the newest, unless a new one is asked for) and its newest intact checkpoint. */
function openRun(
  store: ProjectStore,
  opts: TrainOptions,
  settings: { imageSize: number; latentSize: number },
  trainCount: number,
  defaultBeta: number | undefined,
  notice?: (line: string) => void,
) {
  const latest: Run | undefined = opts.newRun ? undefined : store.runs.latest();
  if (latest) {
    const cfg = resumeSettings(latest.config as unknown as RunSettings, opts, latest.id);
    const checkpoint = store.checkpoints.latest(latest.id, (e) => notice?.(`${e.message}; resuming from an older checkpoint`));
    if (cfg.epochs !== (latest.config as unknown as RunSettings).epochs) store.runs.updateConfig(latest.id, { ...cfg });
    return { run: latest, cfg, checkpoint };
  }
  const batch = Math.min(opts.batch ?? 32, trainCount);
  const cfg = newRunSettings({ ...opts, beta: opts.beta ?? defaultBeta }, settings, Math.max(1, Math.floor(trainCount / batch)));
  return { run: store.runs.create({ ...cfg }), cfg, checkpoint: undefined };
}
