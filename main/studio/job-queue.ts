// Long work under a client-chosen job id: throttled jobs.progress events, one jobs.finished event, an
// AbortController per job, and a refusal ("busy") when work that must run alone is already running.
import { RpcError } from '../../shared/contract/define';
import type { ProgressEvent } from '../../shared/progress';
import { CancelledError, type JobContext } from '../engine/progress';
import type { JobKind, JobRunner } from './api';

/** Kinds that read or write the whole dataset or model: two of them at once would fight over the project. */
const EXCLUSIVE: ReadonlySet<JobKind> = new Set(['import', 'train', 'batch-denoise']);

const LABELS: Record<JobKind, string> = {
  import: 'an import',
  train: 'training',
  map: 'the latent map',
  export: 'an export',
  denoise: 'denoising',
  'batch-denoise': 'a batch denoise',
};

/** The least time between two progress events of one job; the first and the last always go out. */
const PROGRESS_INTERVAL_MS = 200;

interface RunningJob {
  jobId: string;
  kind: JobKind;
  controller: AbortController;
  last: ProgressEvent | null;
  lastEmit: number;
  /** Settles when the work has ended, however it ended. */
  ended: Promise<void>;
}

type Emit = (service: string, event: string, payload: unknown) => void;

export class Jobs implements JobRunner {
  private readonly running = new Map<string, RunningJob>();

  constructor(private readonly emit: Emit) {}

  async run<T>(jobId: string, kind: JobKind, work: (ctx: JobContext) => Promise<T>): Promise<T> {
    this.refuseIfBusy(jobId, kind);
    const controller = new AbortController();
    let markEnded!: () => void;
    const job: RunningJob = { jobId, kind, controller, last: null, lastEmit: 0, ended: new Promise((r) => (markEnded = r)) };
    this.running.set(jobId, job);
    const ctx: JobContext = {
      signal: controller.signal,
      onProgress: (event) => this.progress(job, event),
      onNotice: (line) => this.progress(job, { job: kind, fraction: job.last?.fraction ?? null, etaSeconds: null, message: line }, true),
    };
    this.progress(job, { job: kind, fraction: 0, etaSeconds: null, message: `Starting ${LABELS[kind]}…` }, true);
    try {
      const result = await work(ctx);
      const cancelled = controller.signal.aborted;
      this.finish(job, cancelled ? 'cancelled' : 'done', job.last?.message ?? 'Done.');
      return result;
    } catch (error) {
      if (controller.signal.aborted || error instanceof CancelledError || isAbortError(error)) {
        const message = `${capitalise(LABELS[kind])} was cancelled; what had finished is kept.`;
        this.finish(job, 'cancelled', message);
        throw new RpcError('cancelled', message);
      }
      this.finish(job, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      this.running.delete(jobId);
      markEnded();
    }
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.controller.abort(new CancelledError());
    return true;
  }

  list(): { jobId: string; kind: JobKind; last: ProgressEvent | null }[] {
    return [...this.running.values()].map(({ jobId, kind, last }) => ({ jobId, kind, last }));
  }

  /** Cancels every job and waits until all have ended (training saves its checkpoint on the way out). */
  async cancelAll(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort(new CancelledError());
    await Promise.all(jobs.map((job) => job.ended));
  }

  private refuseIfBusy(jobId: string, kind: JobKind): void {
    if (this.running.has(jobId)) {
      throw new RpcError('invalid-input', `A job with the id "${jobId}" is already running; use a new id for each job.`);
    }
    if (!EXCLUSIVE.has(kind)) return;
    const blocking = [...this.running.values()].find((job) => EXCLUSIVE.has(job.kind));
    if (blocking) {
      throw new RpcError(
        'busy',
        `Cannot start ${LABELS[kind]} while ${LABELS[blocking.kind]} is running; wait for it to finish or stop it first.`,
      );
    }
  }

  private progress(job: RunningJob, event: ProgressEvent, force = false): void {
    job.last = event;
    const now = performance.now();
    const final = event.fraction === 1;
    if (!force && !final && now - job.lastEmit < PROGRESS_INTERVAL_MS) return;
    job.lastEmit = now;
    this.emit('jobs', 'progress', {
      jobId: job.jobId,
      kind: job.kind,
      fraction: event.fraction === null ? null : Math.min(1, Math.max(0, event.fraction)),
      etaSeconds: event.etaSeconds === null ? null : Math.max(0, event.etaSeconds),
      message: event.message,
    });
  }

  private finish(job: RunningJob, status: 'done' | 'failed' | 'cancelled', message: string): void {
    this.emit('jobs', 'finished', { jobId: job.jobId, kind: job.kind, status, message });
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
