// Time left in a training run, from a smoothed rate of this session's own steps. The first steps after a start
// or a resume are slow (backend warm-up, worker start), and steps done before a resume say nothing about this
// session's speed: both are left out, and no estimate is given ("estimating…") until enough has been measured.

/** Steps ignored after a start or resume: they include warm-up. */
const WARMUP_STEPS = 2;
/** Before an estimate is given: at least this many measured steps and seconds. */
const MIN_STEPS = 8;
const MIN_SECONDS = 4;
/** Weight of a new rate sample against the smoothed rate; samples are taken at most once a second. */
const SMOOTHING = 0.25;
const SAMPLE_SECONDS = 1;

export class TrainingEta {
  private baseStep: number | null = null;
  private baseTime = 0;
  private lastStep = 0;
  private lastTime = 0;
  private rate: number | null = null;

  /** `startStep`: the step the run resumed from (0 for a new run). */
  constructor(private readonly startStep: number) {}

  /** Seconds left after `step` of `totalSteps` at time `now` (seconds), or null while still estimating. */
  update(step: number, totalSteps: number, now: number): number | null {
    if (step < this.startStep + WARMUP_STEPS) return null;
    if (this.baseStep === null) {
      this.baseStep = this.lastStep = step;
      this.baseTime = this.lastTime = now;
      return null;
    }
    const dt = now - this.lastTime;
    if (dt >= SAMPLE_SECONDS && step > this.lastStep) {
      const sample = (step - this.lastStep) / dt;
      this.rate = this.rate === null ? sample : SMOOTHING * sample + (1 - SMOOTHING) * this.rate;
      this.lastStep = step;
      this.lastTime = now;
    }
    const measuredSteps = step - this.baseStep;
    const measuredSeconds = now - this.baseTime;
    if (this.rate === null || measuredSteps < MIN_STEPS || measuredSeconds < MIN_SECONDS) return null;
    // The whole-session average keeps one slow or fast second from swinging the estimate.
    const average = (this.lastStep - this.baseStep) / (this.lastTime - this.baseTime);
    const rate = (this.rate + average) / 2;
    return Math.max(0, (totalSteps - step) / rate);
  }
}
