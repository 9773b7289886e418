// Start screen state: recent projects, creating one (then importing its folder with progress), opening one.
import { type Connected, ConnectedModel } from './connected';
import type { ProjectSummary } from '../../../shared/services/projects';
import type { AppState } from './app.svelte';
import { newJobId } from '../jobs/job-id';

export interface NewProjectForm {
  name: string;
  kind: 'generate' | 'denoise';
  imageSize: number;
  latentSize: number;
  folder: string;
}

export class ProjectsModel extends ConnectedModel {
  recent = $state.raw<{ path: string; name: string; openedAt: string; exists: boolean }[]>([]);
  form = $state<NewProjectForm>({ name: '', kind: 'generate', imageSize: 64, latentSize: 128, folder: '' });
  openPath = $state('');
  importJobId = $state<string | null>(null);
  creating = $state(false);
  private readonly app: AppState;

  constructor(deps: Connected, app: AppState) {
    super(deps);
    this.app = app;
  }

  async load(): Promise<void> {
    const result = await this.attempt(() => this.api.projects.recent({}));
    if (result) this.recent = result.projects;
  }

  async create(): Promise<void> {
    const { name, kind, imageSize, latentSize, folder } = this.form;
    if (!name.trim()) return;
    this.creating = true;
    try {
      const project = await this.attempt(() => this.api.projects.create(kind === 'denoise' ? { name: name.trim(), kind } : { name: name.trim(), kind, imageSize, latentSize }));
      if (!project) return;
      this.opened(project);
      if (folder.trim()) await this.importFolder(folder.trim());
      this.app.go('dataset');
    } finally {
      this.creating = false;
    }
  }

  async importFolder(folder: string): Promise<void> {
    const jobId = newJobId('import');
    this.importJobId = jobId;
    await this.attempt(() => this.api.dataset.import({ folder, jobId }));
    this.importJobId = null;
    await this.app.refreshProject();
  }

  async open(path: string): Promise<void> {
    const project = await this.attempt(() => this.api.projects.open({ path: path.trim() }));
    if (!project) return;
    this.opened(project);
    this.app.go('dataset');
  }

  private opened(project: ProjectSummary): void {
    this.app.setProject(project);
    void this.load();
  }
}
