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
  /** A question the app waits on (e.g. "stop training and switch?"); answered through answer(). */
  question = $state<{ message: string; yes: string; no: string } | null>(null);
  private answerQuestion: ((yes: boolean) => void) | null = null;
  private readonly switchListeners = new Set<() => void>();
  private openPath: string | null = null;

  async start(): Promise<void> {
    this.api.on('projects', 'changed', ({ project }) => this.setProject(project));
    this.host = (await this.attempt(() => this.api.projects.host({}))) ?? null;
    const current = await this.attempt(() => this.api.projects.current({}));
    this.setProject(current?.project ?? null);
    // After a reload, the screen the person was on (kept in the address), else the dataset of the open project.
    const remembered = screenFromHash(location.hash);
    if (this.project) this.go(remembered && this.available(remembered) ? remembered : 'dataset');
  }

  /** Asks a yes/no question in the app's own dialog. */
  ask(message: string, yes: string, no = 'Cancel'): Promise<boolean> {
    this.answerQuestion?.(false);
    this.question = { message, yes, no };
    return new Promise((resolve) => (this.answerQuestion = resolve));
  }

  answer(yes: boolean): void {
    const resolve = this.answerQuestion;
    this.answerQuestion = null;
    this.question = null;
    resolve?.(yes);
  }

  /** Whether a screen applies to the open project (a denoiser has nothing to explore or interpolate). */
  available(screen: ScreenId): boolean {
    const def = SCREENS.find((s) => s.id === screen);
    if (!def) return false;
    if (def.needsProject && !this.project) return false;
    return !(def.generatorOnly && this.project?.kind === 'denoise');
  }

  /** Records the open project; per-project state registered with onSwitch is dropped when another opens. */
  setProject(project: ProjectSummary | null): void {
    this.project = project;
    const path = project?.path ?? null;
    if (path === this.openPath) return;
    this.openPath = path;
    this.errors.clear();
    for (const listener of this.switchListeners) listener();
    if (!this.available(this.screen)) this.go(project ? 'dataset' : 'start');
  }

  onSwitch(listener: () => void): void {
    this.switchListeners.add(listener);
  }

  go(screen: ScreenId): void {
    this.screen = screen;
    history.replaceState(history.state, '', `${location.pathname}${location.search}#/${screen}`);
  }

  /** The person moved to another screen: messages about the one they left are cleared. */
  navigate(screen: ScreenId): void {
    if (screen !== this.screen) this.errors.clear();
    this.go(screen);
  }

  goByIndex(index: number): void {
    const screen = SCREENS[index];
    if (screen && this.available(screen.id)) this.navigate(screen.id);
  }

  async refreshProject(): Promise<void> {
    const current = await this.attempt(() => this.api.projects.current({}));
    if (current) this.setProject(current.project);
  }
}

function screenFromHash(hash: string): ScreenId | null {
  const id = hash.replace(/^#\/?/, '');
  return SCREENS.find((s) => s.id === id)?.id ?? null;
}
