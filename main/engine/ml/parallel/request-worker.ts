// A worker thread that answers one request at a time: a reply (or its death) settles the pending request.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export class RequestWorker<To, From extends { type: string }> {
  private readonly worker: Worker;
  private pending: { resolve: (m: From) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(entry: { url: URL; execArgv: string[] }) {
    this.worker = new Worker(entry.url, { execArgv: entry.execArgv });
    this.worker.on('message', (m: From) =>
      this.settle((p) => (m.type === 'error' ? p.reject(new Error((m as { message?: string }).message)) : p.resolve(m))),
    );
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`A training worker stopped unexpectedly (exit code ${code})`)));
  }

  private settle(fn: (p: NonNullable<RequestWorker<To, From>['pending']>) => void): void {
    const p = this.pending;
    this.pending = null;
    if (p) fn(p);
  }

  private fail(error: Error): void {
    this.failure = error;
    this.settle((p) => p.reject(error));
  }

  request(message: To, transfer: ArrayBuffer[] = []): Promise<From> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message, transfer);
    });
  }

  /** Sends the worker its goodbye message, then ends the thread. */
  protected async stop(goodbye: To): Promise<void> {
    this.worker.postMessage(goodbye);
    await this.worker.terminate();
  }

  /**
   * Asks the worker to release what it holds and waits for its reply and its own exit; terminates it only if it
   * has not exited after `graceMs`. Native libraries (ONNX Runtime) can crash the process when a thread is
   * terminated while they are still tearing down.
   */
  protected async stopGracefully(goodbye: To, graceMs = 10_000): Promise<void> {
    const exited = once(this.worker, 'exit').catch(() => undefined);
    if (!this.failure) await this.request(goodbye).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([exited, late])) === 'late') await this.worker.terminate();
    clearTimeout(timer);
  }
}
