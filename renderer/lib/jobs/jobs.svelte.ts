// Progress of long jobs by the client-chosen jobId, fed by jobs.progress events.
import { api } from '../../api/client';
import type { Job } from '../../../shared/services/jobs';

export class JobProgress {
  byId = $state<Record<string, Job>>({});

  start(): void {
    api.on('jobs', 'progress', (job) => (this.byId[job.jobId] = job));
    api.on('jobs', 'finished', ({ jobId }) => delete this.byId[jobId]);
  }

  get(jobId: string | null): Job | null {
    return jobId ? (this.byId[jobId] ?? null) : null;
  }

  async cancel(jobId: string): Promise<void> {
    await api.jobs.cancel({ jobId });
  }
}

export const jobs = new JobProgress();
