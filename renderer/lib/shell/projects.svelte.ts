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
  /** What happens to transparency in the images (generators). */
  alpha: 'auto' | 'keep' | 'flatten';
  folder: string;
}

export class ProjectsModel extends ConnectedModel {
  recent = $state.raw<{ path: string; name: string; openedAt: string; exists: boolean }[]>([]);
  form = $state<NewProjectForm>({ name: '', kind: 'generate', imageSize: 64, latentSize: 512, alpha: 'auto', folder: '' });
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
    const { name, kind, imageSize, latentSize, alpha } = this.form;
    const folder = this.form.folder.trim() || undefined;
    if (!name.trim()) return;
    this.creating = true;
    this.errors.clear();
    try {
      const sizes = kind === 'denoise' ? {} : { imageSize, latentSize, alpha };
      const project = await this.switching((stopTraining) => this.api.projects.create({ name: name.trim(), kind, ...sizes, folder, stopTraining }));
      if (!project) return;
      this.opened(project);
      if (folder) await this.importFolder(folder);
      this.app.go('dataset');
    } finally {
      this.creating = false;
    }
  }

  async importFolder(folder: string): Promise<void> {
    const jobId = newJobId('import');
    this.importJobId = jobId;
    this.errors.clear();
    await this.attempt(() => this.api.dataset.import({ folder, jobId }));
    this.importJobId = null;
    await this.app.refreshProject();
  }

  async open(path: string): Promise<void> {
    this.errors.clear();
    const project = await this.switching((stopTraining) => this.api.projects.open({ path: path.trim(), stopTraining }));
    if (!project) return;
    this.opened(project);
    this.app.go('dataset');
  }

  private opened(project: ProjectSummary): void {
    this.app.setProject(project);
    void this.load();
  }

  /**
   * Runs a call that switches project; when training is running the host refuses ("busy") and the person is
   * asked whether to stop it at a checkpoint and switch. Undefined when refused, declined or failed.
   */
  private async switching<T>(call: (stopTraining: boolean) => Promise<T>): Promise<T | undefined> {
    try {
      return await call(false);
    } catch (err) {
      if ((err as { code?: string }).code !== 'busy') {
        this.errors.report(err);
        return undefined;
      }
      const message = (err as Error).message;
      if (!(await this.app.ask(message, 'Stop at a checkpoint and switch', 'Keep training'))) return undefined;
      return this.attempt(() => call(true));
    }
  }
}
