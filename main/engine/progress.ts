// Turns "done of total" into throttled progress events with an ETA from a smoothed rate.
import type { ProgressEvent, ProgressListener } from '../../shared/progress';

export interface JobContext {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** One-off lines worth telling the user (e.g. a damaged checkpoint was skipped). */
  onNotice?: (line: string) => void;
}

export class ProgressTracker {
  private readonly started: number;
  private lastEmit = 0;
  private rate: number | null = null;
  private lastDone = 0;
  private lastTime: number;
  /** Whether a report with a total has come: the rate is measured from there. */
  private counting = false;
  /** A time budget: the job ends by then (ms on `now`'s clock) even if work is left. */
  private budget: { from: number; until: number } | null = null;

  constructor(
    private readonly job: string,
    private readonly listener: ProgressListener | undefined,
    private readonly minIntervalMs = 100,
    /** Milliseconds; injectable so a budgeted job can be tested without waiting. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = this.lastTime = now();
  }

  /** From now on the job ends `seconds` later at the latest: the ETA and fraction count down the budget too. */
  startBudget(seconds: number): void {
    const from = this.now();
    this.budget = { from, until: from + seconds * 1000 };
  }

  /** Reports progress; `force` bypasses throttling (use for the first and last events). */
  update(done: number, total: number | null, message: string, detail?: Record<string, unknown>, force = false): void {
    const now = this.now();
    if (total !== null && !this.counting) {
      // The rate is timed from the first counted report: scanning, setting up, or the steps before a resume would
      // otherwise count as time spent on the first item (an import's first ETA read 17 hours).
      this.counting = true;
      this.lastDone = done;
      this.lastTime = now;
    } else if (total !== null && done > this.lastDone && now > this.lastTime) {
      const instant = (done - this.lastDone) / ((now - this.lastTime) / 1000);
      this.rate = this.rate === null ? instant : 0.8 * this.rate + 0.2 * instant;
      this.lastDone = done;
      this.lastTime = now;
    }
    if (!this.listener || (!force && now - this.lastEmit < this.minIntervalMs)) return;
    this.lastEmit = now;
    let fraction = total ? Math.min(1, done / total) : null;
    let eta = total !== null && this.rate && this.rate > 0 ? Math.max(0, (total - done) / this.rate) : null;
    if (this.budget) {
      // Whichever ends first, the work or the budget, is what the person waits for.
      const left = Math.max(0, (this.budget.until - now) / 1000);
      eta = eta === null ? left : Math.min(eta, left);
      fraction = Math.max(fraction ?? 0, Math.min(1, (now - this.budget.from) / (this.budget.until - this.budget.from)));
    }
    const event: ProgressEvent = { job: this.job, fraction, etaSeconds: eta, message };
    if (detail) event.detail = detail;
    this.listener(event);
  }

  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }
}

export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
