// Start screen state: recent projects, creating one (then importing its folder with progress), opening one.
import { api } from '../../api/client';
import type { ProjectSummary } from '../../../shared/services/projects';
import { attempt } from './errors.svelte';
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
    const { name, kind, imageSize, latentSize, folder } = this.form;
    if (!name.trim()) return;
    this.creating = true;
    try {
      const project = await attempt(() => api.projects.create(kind === 'denoise' ? { name: name.trim(), kind } : { name: name.trim(), kind, imageSize, latentSize }));
      if (!project) return;
      this.opened(project);
      if (folder.trim()) await this.importFolder(folder.trim());
      app.go('dataset');
    } finally {
      this.creating = false;
    }
  }

  async importFolder(folder: string): Promise<void> {
    const jobId = newJobId('import');
    this.importJobId = jobId;
    await attempt(() => api.dataset.import({ folder, jobId }));
    this.importJobId = null;
    await app.refreshProject();
  }

  async open(path: string): Promise<void> {
    const project = await attempt(() => api.projects.open({ path: path.trim() }));
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
