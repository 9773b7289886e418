// How far each of the Train screen's choices goes on this machine before Start: quick and good are time budgets
// (shared/training-config.ts), so what they buy is steps at this machine's speed; best trains the epochs asked for,
// so what it costs is time. The speed comes from the running session, this project's recorded steps, the speed this
// machine last trained a project of this kind and size at (SpeedMemory), or else a few steps timed now.
import type { PresetEstimate, TrainingEstimate } from '../../shared/services/training';
import { OPEN_ENDED_EPOCHS, PRESET_MINUTES, TIME_PRESETS, type TimePreset } from '../../shared/training-config';
import type { BackendReport } from '../engine/ml/backends';
import { trainingKind } from '../engine/operations/training/project-kind';
import { measureSpeed, recordedSpeed } from '../engine/operations/training/speed';
import type { ProjectStore } from '../engine/store';
import type { SpeedMemory } from './speed-memory';

export interface PresetInput {
  /** Examples per step. */
  batch: number;
  /** The step training starts from (where a continued run stands; 0 for a new run). */
  from: number;
  /** The last step of the run a quick or good session would continue; null when open-ended (a new run). */
  runEnd: number | null;
  /** The last step best trains to: the asked epochs. */
  bestEnd: number;
  examplesPerSecond: number | null;
}

/** Steps and seconds of each choice; pure, so the arithmetic is tested on its own. */
export function presetEstimates(input: PresetInput): Record<TimePreset, PresetEstimate> {
  const { batch, from, runEnd, bestEnd, examplesPerSecond: speed } = input;
  const stepsPerSecond = speed && speed > 0 ? speed / batch : null;
  const out = {} as Record<TimePreset, PresetEstimate>;
  for (const preset of TIME_PRESETS) {
    const minutes = PRESET_MINUTES[preset];
    const end = minutes === null ? bestEnd : runEnd;
    const left = end === null ? Infinity : Math.max(0, end - from);
    if (minutes === null) {
      out[preset] = { steps: left, seconds: stepsPerSecond ? left / stepsPerSecond : null, endsRun: true };
      continue;
    }
    const budget = minutes * 60;
    if (!stepsPerSecond) {
      out[preset] = { steps: null, seconds: budget, endsRun: false };
      continue;
    }
    const buys = Math.floor(budget * stepsPerSecond);
    out[preset] = buys >= left ? { steps: left, seconds: left / stepsPerSecond, endsRun: true } : { steps: buys, seconds: budget, endsRun: false };
  }
  return out;
}

export interface EstimateRequest {
  epochs: number;
  batch: number;
  /** Whether Start would begin a new run rather than continue the latest. */
  newRun: boolean;
  /** The step the latest run stands at, when Start would continue it. */
  from: number;
  /** The running session's speed, when one runs. */
  runningSpeed: number | null;
  /** Whether something that would share the cores runs (then nothing is timed now). */
  busy: boolean;
}

export class TrainingEstimates {
  /** Speeds timed on each project and batch, so the form's changes do not time steps again. */
  private measured = new Map<string, Promise<number | null>>();
  private trial: AbortController | null = null;

  constructor(
    private readonly backend: () => Promise<BackendReport>,
    private readonly speeds?: SpeedMemory,
  ) {}

  async estimate(store: ProjectStore, request: EstimateRequest): Promise<TrainingEstimate> {
    const kind = trainingKind(store);
    const images = store.images.counts().train;
    const examples = images * kind.examplesPerImage;
    const batch = Math.max(1, Math.min(request.batch, examples));
    const stepsPerEpoch = Math.max(1, Math.floor(examples / batch));
    const latest = request.newRun ? undefined : store.runs.latest();
    const runEnd = latest && latest.config.epochs < OPEN_ENDED_EPOCHS ? latest.config.epochs * stepsPerEpoch : null;
    const { examplesPerSecond, speedFrom } = await this.speed(store, batch, request);
    const presets = presetEstimates({
      batch,
      from: request.from,
      runEnd,
      bestEnd: examples > 0 ? request.epochs * stepsPerEpoch : 0,
      examplesPerSecond,
    });
    return { examplesPerSecond, speedFrom, images, examples, batch, presets };
  }

  /** Stops a trial being timed (training is about to start) and waits until its steps have ended. */
  async stopTrial(): Promise<void> {
    this.trial?.abort();
    await Promise.allSettled([...this.measured.values()]);
  }

  /** Another project opened: what was timed on the last one says nothing about this one. */
  reset(): void {
    this.trial?.abort();
    this.measured.clear();
  }

  private async speed(store: ProjectStore, batch: number, request: EstimateRequest): Promise<Pick<TrainingEstimate, 'examplesPerSecond' | 'speedFrom'>> {
    if (request.runningSpeed) return { examplesPerSecond: request.runningSpeed, speedFrom: 'running' };
    const recorded = recordedSpeed(store);
    if (recorded) return { examplesPerSecond: recorded, speedFrom: 'project' };
    const settings = store.getSettings();
    const remembered = this.speeds?.get(settings.kind, settings.imageSize) ?? null;
    if (remembered) return { examplesPerSecond: remembered, speedFrom: 'machine' };
    const key = `${store.path}\n${batch}`;
    let timing = this.measured.get(key);
    if (!timing) {
      // Timing steps while an import or training runs would measure the contention, not the machine.
      if (request.busy) return { examplesPerSecond: null, speedFrom: null };
      this.trial = new AbortController();
      const signal = this.trial.signal;
      timing = this.backend()
        .then((backend) => measureSpeed(store, { backend, batch, signal }))
        .catch(() => null);
      this.measured.set(key, timing);
      // A trial cut short is not a measurement: the next request times again.
      void timing.then((speed) => {
        if (speed === null || signal.aborted) this.measured.delete(key);
      });
    }
    const speed = await timing;
    return speed ? { examplesPerSecond: speed, speedFrom: 'measured' } : { examplesPerSecond: null, speedFrom: null };
  }
}
