// Jobs: what long work is running (with its latest progress) and cancelling one.
import { RpcError } from '../../../shared/contract/define';
import type { AppContext, ServiceHandlers } from '../api';

export function createJobsHandlers(app: AppContext): ServiceHandlers<'jobs'> {
  return {
    list: () => ({
      jobs: app.jobs.list().map(({ jobId, kind, last }) => ({
        jobId,
        kind,
        fraction: last?.fraction ?? null,
        etaSeconds: last?.etaSeconds ?? null,
        message: last?.message ?? '',
      })),
    }),
    cancel: ({ jobId }) => {
      if (!app.jobs.cancel(jobId)) throw new RpcError('not-found', `No job "${jobId}" is running; it may have finished already.`);
      return {};
    },
  };
}
