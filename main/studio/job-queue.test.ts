// The job runner as the renderer sees it: progress with the job's id, one finished event, cancellation, and a
// clear "busy" refusal naming what runs.
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/contract/define';
import { Jobs } from './job-queue';

function runner() {
  const heard: { event: string; payload: any }[] = [];
  const jobs = new Jobs((_service, event, payload) => heard.push({ event, payload }));
  return { jobs, heard };
}

/** Work that runs until `release` is called or its signal aborts. */
function blocked() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const work = async (ctx: { signal?: AbortSignal }) => {
    await Promise.race([gate, new Promise((_, reject) => ctx.signal!.addEventListener('abort', () => reject(ctx.signal!.reason)))]);
    return 'finished';
  };
  return { work, release };
}

describe('Jobs', () => {
  it('reports progress under the job id, throttled, and finishes once with the last message', async () => {
    const { jobs, heard } = runner();
    const result = await jobs.run('job-1', 'import', async (ctx) => {
      for (let i = 1; i <= 100; i++) ctx.onProgress!({ job: 'import', fraction: i / 100, etaSeconds: 100 - i, message: `file ${i}` });
      return 42;
    });
    expect(result).toBe(42);
    const progress = heard.filter((h) => h.event === 'progress').map((h) => h.payload);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThan(10); // 100 updates in a burst are not 100 events
    expect(progress.every((p) => p.jobId === 'job-1' && p.kind === 'import')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, message: 'file 100' });
    expect(heard.filter((h) => h.event === 'finished').map((h) => h.payload)).toEqual([
      { jobId: 'job-1', kind: 'import', status: 'done', message: 'file 100' },
    ]);
    expect(jobs.list()).toEqual([]);
  });

  it('refuses a second exclusive job, naming what runs, but lets small jobs through', async () => {
    const { jobs } = runner();
    const training = blocked();
    const running = jobs.run('train-1', 'train', training.work);
    const refusal = await jobs.run('import-1', 'import', async () => 1).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RpcError);
    expect((refusal as RpcError).code).toBe('busy');
    expect((refusal as RpcError).message).toBe('Cannot start an import while training is running; wait for it to finish or stop it first.');
    await expect(jobs.run('map-1', 'map', async () => 'map')).resolves.toBe('map');
    await expect(jobs.run('train-1', 'export', async () => 1)).rejects.toThrow(/already running/);
    expect(jobs.list().map((j) => j.jobId)).toEqual(['train-1']);
    training.release();
    await expect(running).resolves.toBe('finished');
  });

  it('cancels a job: the caller hears "cancelled" and so do the screens', async () => {
    const { jobs, heard } = runner();
    const job = blocked();
    const running = jobs.run('import-2', 'import', job.work);
    expect(jobs.cancel('import-2')).toBe(true);
    const error = (await running.catch((e: unknown) => e)) as RpcError;
    expect(error.code).toBe('cancelled');
    expect(heard.find((h) => h.event === 'finished')?.payload).toMatchObject({ jobId: 'import-2', status: 'cancelled' });
    expect(jobs.cancel('import-2')).toBe(false);
  });

  it('reports a failure with its message and frees the slot', async () => {
    const { jobs, heard } = runner();
    await expect(jobs.run('import-3', 'import', async () => Promise.reject(new Error('The disk is full.')))).rejects.toThrow('The disk is full.');
    expect(heard.find((h) => h.event === 'finished')?.payload).toMatchObject({ status: 'failed', message: 'The disk is full.' });
    await expect(jobs.run('import-4', 'import', async () => 'again')).resolves.toBe('again');
  });

  it('cancelAll waits until every job has ended', async () => {
    const { jobs } = runner();
    const ended: string[] = [];
    const slow = (name: string) => async (ctx: { signal?: AbortSignal }) => {
      await new Promise((r) => ctx.signal!.addEventListener('abort', r));
      await new Promise((r) => setTimeout(r, 30)); // e.g. saving a checkpoint on the way out
      ended.push(name);
    };
    const a = jobs.run('a', 'train', slow('a')).catch(() => undefined);
    const b = jobs.run('b', 'map', slow('b')).catch(() => undefined);
    await jobs.cancelAll();
    expect(ended.sort()).toEqual(['a', 'b']);
    await Promise.all([a, b]);
  });
});
