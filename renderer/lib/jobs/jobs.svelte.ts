// Progress of long jobs by the client-chosen jobId, fed by jobs.progress events.
import { ConnectedModel } from '../shell/connected';
import type { Job } from '../../../shared/services/jobs';

export class JobProgress extends ConnectedModel {
  byId = $state<Record<string, Job>>({});

  start(): void {
    this.api.on('jobs', 'progress', (job) => (this.byId[job.jobId] = job));
    this.api.on('jobs', 'finished', ({ jobId }) => delete this.byId[jobId]);
  }

  get(jobId: string | null): Job | null {
    return jobId ? (this.byId[jobId] ?? null) : null;
  }

  async cancel(jobId: string): Promise<void> {
    await this.api.jobs.cancel({ jobId });
  }
}
