// Start screen state: recent projects, creating one (then importing its folder with progress), opening one.
import { api } from '../../api/client';
import type { ProjectSummary } from '../../../shared/services/projects';
import { attempt, errors } from './errors.svelte';
import { app } from './app.svelte';
import { newJobId } from '../jobs/job-id';

export interface NewProjectForm {
  name: string;
  kind: 'generate' | 'denoise';
  imageSize: number;
  latentSize: number;
  folder: string;
}

export class ProjectsModel {
  recent = $state.raw<{ path: string; name: string; openedAt: string; exists: boolean }[]>([]);
  form = $state<NewProjectForm>({ name: '', kind: 'generate', imageSize: 64, latentSize: 128, folder: '' });
  openPath = $state('');
  importJobId = $state<string | null>(null);
  creating = $state(false);

  async load(): Promise<void> {
    const result = await attempt(() => api.projects.recent({}));
    if (result) this.recent = result.projects;
  }

  async create(): Promise<void> {
    const { name, kind, imageSize, latentSize } = this.form;
    const folder = this.form.folder.trim() || undefined;
    if (!name.trim()) return;
    this.creating = true;
    errors.clear();
    try {
      const sizes = kind === 'denoise' ? {} : { imageSize, latentSize };
      const project = await switching((stopTraining) => api.projects.create({ name: name.trim(), kind, ...sizes, folder, stopTraining }));
      if (!project) return;
      this.opened(project);
      if (folder) await this.importFolder(folder);
      app.go('dataset');
    } finally {
      this.creating = false;
    }
  }

  async importFolder(folder: string): Promise<void> {
    const jobId = newJobId('import');
    this.importJobId = jobId;
    errors.clear();
    await attempt(() => api.dataset.import({ folder, jobId }));
    this.importJobId = null;
    await app.refreshProject();
  }

  async open(path: string): Promise<void> {
    errors.clear();
    const project = await switching((stopTraining) => api.projects.open({ path: path.trim(), stopTraining }));
    if (!project) return;
    this.opened(project);
    app.go('dataset');
  }

  private opened(project: ProjectSummary): void {
    app.setProject(project);
    void this.load();
  }
}

export const projects = new ProjectsModel();

/**
 * Runs a call that switches project; when training is running the host refuses ("busy") and the person is
 * asked whether to stop it at a checkpoint and switch. Undefined when refused, declined or failed.
 */
async function switching<T>(call: (stopTraining: boolean) => Promise<T>): Promise<T | undefined> {
  try {
    return await call(false);
  } catch (err) {
    if ((err as { code?: string }).code !== 'busy') {
      errors.report(err);
      return undefined;
    }
    const message = (err as Error).message;
    if (!(await app.ask(message, 'Stop at a checkpoint and switch', 'Keep training'))) return undefined;
    return attempt(() => call(true));
  }
}
