// Training screen state: the run's status, its metrics and previews (from history on load, then live events),
// and the form. Events arrive whether or not the Train screen is shown, so charts are current on return.
import { ConnectedModel } from '../shell/connected';
import type { Metric, TrainFormOptions, TrainingEstimate, TrainingState } from '../../../shared/services/training';

export interface LatestPreviews {
  reconstructions: string | null;
  samples: string | null;
  epoch: number | null;
}

export class TrainingModel extends ConnectedModel {
  state = $state<TrainingState | null>(null);
  /** Replaced, never mutated, so charts redraw on each new point without deep proxies. */
  metrics = $state.raw<Metric[]>([]);
  previews = $state<LatestPreviews>({ reconstructions: null, samples: null, epoch: null });
  form = $state<TrainFormOptions | null>(null);
  /** The network whose new run would start from a shipped model, as the defaults said (the form offers random weights instead only for it). */
  shippedStartNetwork = $state<TrainFormOptions['network']>(undefined);
  busy = $state(false);
  /** How far quick, good and best go on this machine (null: not asked yet, or the form holds no valid numbers). */
  estimate = $state<TrainingEstimate | null>(null);
  /** An estimate is being worked out (the first one may time a few training steps). */
  estimating = $state(false);
  /** Which button ended the run being stopped: the status reads "Pausing" or "Stopping". */
  ending = $state<'pause' | 'stop' | null>(null);
  private runId: number | null = null;

  listen(): void {
    this.api.on('training', 'state', (s) => {
      this.state = s;
      if (s.runId !== null && s.runId !== this.runId) this.switchRun(s.runId);
    });
    this.api.on('training', 'metric', (m) => {
      if (m.runId !== this.runId) this.switchRun(m.runId);
      this.metrics = [...this.metrics, m];
    });
    this.api.on('training', 'preview', (p) => {
      if (p.runId !== this.runId) this.switchRun(p.runId);
      this.previews[p.kind] = p.image;
      this.previews.epoch = p.epoch;
    });
  }

  /** Another project opened: its defaults, run and charts are its own. */
  reset(): void {
    this.state = null;
    this.form = null;
    this.shippedStartNetwork = undefined;
    this.runId = null;
    this.metrics = [];
    this.previews = { reconstructions: null, samples: null, epoch: null };
    this.estimate = null;
  }

  /** Called when the Train screen is shown. */
  async load(): Promise<void> {
    const state = await this.attempt(() => this.api.training.state({}));
    if (state) this.state = state;
    const history = await this.attempt(() => this.api.training.history({}));
    if (history) {
      this.runId = history.metrics[0]?.runId ?? history.previews[0]?.runId ?? state?.runId ?? null;
      this.metrics = history.metrics;
      this.previews = { reconstructions: null, samples: null, epoch: null };
      for (const p of history.previews) {
        this.previews[p.kind] = p.image;
        this.previews.epoch = p.epoch;
      }
    }
    if (!this.form) {
      this.form = (await this.attempt(() => this.api.training.defaults({}))) ?? null;
      this.shippedStartNetwork = this.form?.fromScratch !== undefined ? this.form.network : undefined;
    }
  }

  /** Asks how long the form's epochs would take; called when the form changes while idle. */
  async refreshEstimate(): Promise<void> {
    if (!this.form) return;
    const { epochs, batch, newRun } = $state.snapshot(this.form);
    if (!(epochs >= 1 && batch >= 1)) return;
    this.estimating = true;
    try {
      this.estimate = await this.api.training.estimate({ epochs, batch, newRun });
    } catch {
      this.estimate = null; // an out-of-range number being typed: the form itself says what is wrong on Start
    } finally {
      this.estimating = false;
    }
  }

  get status(): TrainingState['status'] {
    return this.state?.status ?? 'idle';
  }

  async start(): Promise<void> {
    if (!this.form) return;
    const form = $state.snapshot(this.form);
    await this.act(async () => {
      const { runId } = await this.api.training.start(form);
      this.switchRun(runId);
      this.form!.newRun = false;
      if (this.form!.fromScratch) this.form!.fromScratch = false;
    });
  }

  pause = () => {
    this.ending = 'pause';
    return this.act(() => this.api.training.pause({}));
  };
  resume = () => this.act(() => this.api.training.resume({}));
  stop = () => {
    this.ending = 'stop';
    return this.act(() => this.api.training.stop({}));
  };

  /** Space: start when idle, pause when running, resume when paused. */
  async toggle(): Promise<void> {
    if (this.status === 'running') await this.pause();
    else if (this.status === 'paused') await this.resume();
    else if (this.status === 'idle') await this.start();
  }

  private async act(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    await this.attempt(work);
    this.busy = false;
    const state = await this.attempt(() => this.api.training.state({}));
    if (state) this.state = state;
  }

  private switchRun(runId: number): void {
    if (this.runId === runId) return;
    if (this.runId !== null) {
      this.metrics = [];
      this.previews = { reconstructions: null, samples: null, epoch: null };
    }
    this.runId = runId;
  }
}
