// Training: runs or resumes a project's training from its newest checkpoint, reporting progress with ETA,
// checkpointing on an interval, at each epoch's end and when stopped, and recording metrics and previews.
import { initBackend, type BackendChoice, type BackendReport } from '../ml/backends';
import { Adam } from '../ml/adam';
import { latentMisfit } from '../ml/architecture';
import { klWeight } from '../ml/loss';
import type { LossTerms, TrainingStepper } from '../ml/trainable';
import { Rng } from '../ml/rng';
import { createStepper } from './training/stepper';
import type { JobContext } from '../progress';
import type { ProjectStore, Run } from '../store';
import { trainingKind } from './training/project-kind';
import type { TrainingKind } from './training/kind';
import {
  budgetConflict,
  budgetSeconds,
  OPEN_ENDED_EPOCHS,
  type TrainingOptions as TrainOptions,
  trainingOptionsSchema as trainOptionsSchema,
} from '../../../shared/training-config';
import { DEFAULTS, newRunSettings, resumeSettings, STREAM, streamSeed } from './run-config';
import { RunRecorder, type TrainHooks as RecorderHooks } from './training/run-recorder';
import { InvalidOptionError, parseOptions } from './options';

/** Why a session ended: the run's epochs, --max-steps, its time budget (--time, --minutes), or a stop / Ctrl-C. */
export type StopReason = 'completed' | 'max-steps' | 'time' | 'interrupted';

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
  /** The session's time budget in seconds (null: none). */
  budgetSeconds: number | null;
}

/** What a live view (the app) hears as it happens; the same things are also written to the project. */
export interface TrainHooks extends RecorderHooks {
  /** The run is set up and about to take its first step. */
  onStart?: (info: {
    runId: number;
    step: number;
    totalSteps: number;
    stepsPerEpoch: number;
    epochs: number;
    backend: BackendReport;
    /** The session's time budget, counted from this moment. */
    budgetSeconds: number | null;
  }) => void;
  /** The clock a time budget is measured on, in milliseconds (performance.now); tests inject one to skip the wait. */
  now?: () => number;
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
  const conflict = budgetConflict(opts);
  if (conflict) throw new InvalidOptionError(conflict);
  const budget = budgetSeconds(opts);
  const now = ctx.now ?? (() => performance.now());
  const backend = await initBackend(backendChoice ?? 'auto');
  const settings = store.getSettings();
  const trainSet = store.images.loadPixels('train');
  const valSet = store.images.loadPixels('val');
  const kind = trainingKind(store);
  const examples = trainSet.count * kind.examplesPerImage;
  if (trainSet.count === 0) {
    throw new Error(`${store.path} has no usable images to train on; import a folder first ("vae-studio import ${store.path} <folder>")`);
  }

  const { run, cfg, checkpoint } = openRun(store, { opts, model: settings, examples, kind, onNotice: ctx.onNotice });
  if (checkpoint && opts.fromScratch) {
    throw new InvalidOptionError(`--from-scratch starts a new run from random weights, but run ${run.id} would resume from its checkpoint at step ${checkpoint.step}; add --new-run`);
  }
  const batch = Math.min(cfg.batch, examples);
  const stepsPerEpoch = Math.max(1, Math.floor(examples / batch));
  const totalSteps = Math.min(cfg.epochs * stepsPerEpoch, opts.maxSteps ?? Infinity);

  const model = kind.createModel(cfg.seed, cfg);
  const adam = new Adam(model.params, { lr: cfg.lr });
  let stepper: TrainingStepper | null = null;
  let step = 0;
  try {
    if (checkpoint) {
      model.load(checkpoint.weights);
      if (checkpoint.optimizerBytes > 0) adam.load(checkpoint.optimizer);
      else ctx.onNotice?.(`The checkpoint at step ${checkpoint.step} kept its weights only (older checkpoints do not keep the optimizer's state): training goes on from them with a fresh optimizer`);
      step = checkpoint.step;
      store.metrics.discardAfter(run.id, step);
    } else {
      const initial = opts.fromScratch ? undefined : kind.initialWeights?.(cfg);
      if (initial) {
        model.load(initial.weights);
        ctx.onNotice?.(initial.notice);
      }
    }
    store.runs.setStatus(run.id, 'running');
    stepper = await createStepper(model, adam, backend, { lr: cfg.lr, batchSize: batch, threads: opts.threads, exampleDims: kind.dims }, ctx.onNotice);
  } catch (error) {
    await stepper?.close();
    adam.dispose();
    model.dispose();
    throw error;
  }
  const resumedFromStep = step;

  const checkpointId = checkpoint?.id ?? null;
  const recorder = new RunRecorder({ store, runId: run.id, cfg, kind, model, adam, stepper: stepper!, trainSet, valSet, batch, stepsPerEpoch, totalSteps, resumedFromStep, checkpointId, ctx, now });

  let stopped: StopReason = 'completed';
  try {
    const examplesOf = batchPlan(cfg.seed, examples, batch, stepsPerEpoch);
    ctx.onStart?.({ runId: run.id, step, totalSteps, stepsPerEpoch, epochs: cfg.epochs, backend, budgetSeconds: budget });
    // The budget counts training, not setting up: a resumed session gets the whole of a fresh one.
    const deadline = budget === null ? Infinity : now() + budget * 1000;
    if (budget !== null) recorder.startBudget(budget);
    while (step < totalSteps) {
      await yieldToEventLoop();
      if (ctx.signal?.aborted) {
        stopped = 'interrupted';
        break;
      }
      if (now() >= deadline) {
        stopped = 'time';
        break;
      }
      const epoch = Math.floor(step / stepsPerEpoch);
      const rng = new Rng(streamSeed(cfg.seed, STREAM.step, step));
      const indices = examplesOf(step);
      const losses = await stepper!.step(adam, kind.batch(model, trainSet, indices, rng), klWeight(cfg.beta, step, cfg.warmupSteps));
      if (!Number.isFinite(losses.total)) {
        throw new Error(`Training diverged at step ${step + 1} (the loss is not a number); try a lower --lr in a new run (--new-run)`);
      }
      step++;
      recorder.afterStep(step, epoch, losses);
      if (step % stepsPerEpoch === 0) await recorder.endOfEpoch(epoch + 1, step);
      else if (step % cfg.checkpointEvery === 0) recorder.saveCheckpoint(step);
    }
    if (stopped === 'completed' && step < cfg.epochs * stepsPerEpoch) stopped = 'max-steps';
    if (recorder.checkpointId === null || step !== resumedFromStep) {
      if (store.checkpoints.latest(run.id)?.step !== step) await recorder.saveLastCheckpoint(step, stopped !== 'interrupted');
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

  return {
    runId: run.id,
    resumedFromStep,
    step,
    epoch: Math.floor(step / stepsPerEpoch),
    stepsRun: step - resumedFromStep,
    stopped,
    train: recorder.lastTrain,
    val: recorder.lastVal,
    imagesPerSecond: recorder.imagesPerSecond(step),
    checkpointId: recorder.checkpointId,
    backend,
    threads: stepper!.threads,
    budgetSeconds: budget,
  };
}

/**
 * The examples each step trains on: every epoch a fresh permutation from the run's seed, cut into batches in
 * order, so a resumed run draws exactly what an uninterrupted one would have.
 */
function batchPlan(seed: number, examples: number, batch: number, stepsPerEpoch: number): (step: number) => Uint32Array {
  let order: Uint32Array = new Uint32Array(0);
  let orderEpoch = -1;
  return (step) => {
    const epoch = Math.floor(step / stepsPerEpoch);
    if (epoch !== orderEpoch) {
      order = new Rng(streamSeed(seed, STREAM.epochOrder, epoch)).permutation(examples);
      orderEpoch = epoch;
    }
    const inEpoch = step % stepsPerEpoch;
    return order.subarray(inEpoch * batch, (inEpoch + 1) * batch);
  };
}

/** What openRun needs besides the store. */
interface RunRequest {
  opts: TrainOptions;
  /** The project's model shape, stored with a new run. */
  model: { imageSize: number; latentSize: number; imageChannels: 3 | 4 };
  /** Training examples in the dataset (a new run's batch is at most this). */
  examples: number;
  /** The kind's KL weight, learning rate and network for a new run when none is asked for. */
  kind: Pick<TrainingKind, 'defaultBeta' | 'defaultLr' | 'defaultNetwork'>;
  onNotice?: (line: string) => void;
}

/** The run to continue (the newest, unless a new one is asked for) and its newest intact checkpoint. */
function openRun(store: ProjectStore, { opts, model, examples, kind, onNotice }: RunRequest) {
  const latest: Run | undefined = opts.newRun ? undefined : store.runs.latest();
  // --max-steps without --epochs asks for that many steps: enough epochs to reach them (a denoise project of a few
  // photos has one step per epoch, and the default 30 epochs silently cut `--max-steps 300` to 30 steps).
  const reaching = (epochs: number, batch: number) =>
    opts.epochs === undefined && opts.maxSteps !== undefined
      ? Math.max(epochs, Math.ceil(opts.maxSteps / Math.max(1, Math.floor(examples / Math.min(batch, examples)))))
      : opts.epochs;
  if (latest && (latest.config.imageChannels ?? 3) !== model.imageChannels) {
    const what = (channels: number) => (channels === 4 ? 'RGBA images (transparency kept)' : 'RGB images');
    throw new InvalidOptionError(
      `Run ${latest.id} trains on ${what(latest.config.imageChannels ?? 3)}, but the project's images are now ${what(model.imageChannels)}; pass --new-run to start a new run`,
    );
  }
  if (latest) {
    const cfg = resumeSettings(latest.config, { ...opts, epochs: reaching(latest.config.epochs, latest.config.batch) }, latest.id);
    const checkpoint = store.checkpoints.latest(latest.id, (e) => onNotice?.(`${e.message}; resuming from an older checkpoint`));
    if (cfg.epochs !== latest.config.epochs) store.runs.updateConfig(latest.id, { ...cfg });
    return { run: latest, cfg, checkpoint };
  }
  const batch = Math.min(opts.batch ?? DEFAULTS.batch, examples);
  // A new run begun with a time budget and no epochs is measured in time: open-ended, so no default epoch count
  // cuts a 20-minute session short, and each later session (a fresh budget, or a stop) decides how far it goes.
  const timed = budgetSeconds(opts) !== null && opts.epochs === undefined && opts.maxSteps === undefined;
  const epochs = timed ? OPEN_ENDED_EPOCHS : reaching(DEFAULTS.epochs, batch);
  if (opts.network !== undefined && kind.defaultNetwork === undefined) throw new InvalidOptionError('--network applies to generator projects only');
  const network = kind.defaultNetwork && (opts.network ?? kind.defaultNetwork);
  const misfit = network && latentMisfit(network, model.latentSize);
  if (misfit) throw new InvalidOptionError(`${misfit}: choose another network`);
  const shape = { imageSize: model.imageSize, latentSize: model.latentSize, imageChannels: model.imageChannels, network };
  const cfg = newRunSettings({ ...opts, epochs, beta: opts.beta ?? kind.defaultBeta, lr: opts.lr ?? kind.defaultLr }, shape, Math.max(1, Math.floor(examples / batch)));
  return { run: store.runs.create({ ...cfg }), cfg, checkpoint: undefined };
}
