// App-wide state: the screen shown, the open project, the host, the connection.
import { ConnectedModel } from './connected';
import type { ConnectionState } from '../../api/ws-transport';
import type { ProjectSummary } from '../../../shared/services/projects';
import { SCREENS, type ScreenId } from './screens';

export class AppState extends ConnectedModel {
  screen = $state<ScreenId>('start');
  project = $state<ProjectSummary | null>(null);
  host = $state<{ host: 'electron' | 'server'; version: string; projectsFolder: string; homeFolder: string } | null>(null);
  connection = $state<ConnectionState>('connecting');
  helpOpen = $state(false);
  private readonly switchListeners = new Set<() => void>();
  private openPath: string | null = null;

  async start(): Promise<void> {
    this.api.on('projects', 'changed', ({ project }) => this.setProject(project));
    this.host = (await this.attempt(() => this.api.projects.host({}))) ?? null;
    const current = await this.attempt(() => this.api.projects.current({}));
    this.setProject(current?.project ?? null);
    if (this.project) this.screen = 'dataset';
  }

  /** Records the open project; per-project state registered with onSwitch is dropped when another opens. */
  setProject(project: ProjectSummary | null): void {
    this.project = project;
    const path = project?.path ?? null;
    if (path === this.openPath) return;
    this.openPath = path;
    for (const listener of this.switchListeners) listener();
  }

  onSwitch(listener: () => void): void {
    this.switchListeners.add(listener);
  }

  go(screen: ScreenId): void {
    this.screen = screen;
  }

  goByIndex(index: number): void {
    const screen = SCREENS[index];
    if (screen) this.screen = screen.id;
  }

  async refreshProject(): Promise<void> {
    const current = await this.attempt(() => this.api.projects.current({}));
    if (current) this.setProject(current.project);
  }
}
