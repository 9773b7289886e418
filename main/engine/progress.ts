// Turns "done of total" into throttled progress events with an ETA from a smoothed rate.
import type { ProgressEvent, ProgressListener } from '../../shared/progress';

export interface JobContext {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** One-off lines worth telling the user (e.g. a damaged checkpoint was skipped). */
  onNotice?: (line: string) => void;
}

export class ProgressTracker {
  private readonly started = performance.now();
  private lastEmit = 0;
  private rate: number | null = null;
  private lastDone = 0;
  private lastTime = this.started;

  constructor(
    private readonly job: string,
    private readonly listener: ProgressListener | undefined,
    private readonly minIntervalMs = 100,
  ) {}

  /** Reports progress; `force` bypasses throttling (use for the first and last events). */
  update(done: number, total: number | null, message: string, detail?: Record<string, unknown>, force = false): void {
    const now = performance.now();
    if (total !== null && done > this.lastDone && now > this.lastTime) {
      const instant = (done - this.lastDone) / ((now - this.lastTime) / 1000);
      this.rate = this.rate === null ? instant : 0.8 * this.rate + 0.2 * instant;
      this.lastDone = done;
      this.lastTime = now;
    }
    if (!this.listener || (!force && now - this.lastEmit < this.minIntervalMs)) return;
    this.lastEmit = now;
    const fraction = total ? Math.min(1, done / total) : null;
    const eta = total !== null && this.rate && this.rate > 0 ? Math.max(0, (total - done) / this.rate) : null;
    const event: ProgressEvent = { job: this.job, fraction, etaSeconds: eta, message };
    if (detail) event.detail = detail;
    this.listener(event);
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}

export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
