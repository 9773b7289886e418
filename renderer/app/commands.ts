// Keyboard shortcuts as registered commands: the help overlay lists them, the key handler runs them.
import type { AppState } from '../lib/shell/app.svelte';
import { SCREENS } from '../lib/shell/screens';
import type { ExploreModel } from '../lib/explore/explore.svelte';
import type { TrainingModel } from '../lib/train/training.svelte';
import type { ThemeState } from '../lib/shell/theme.svelte';

export interface Command {
  /** KeyboardEvent.key values that run it. */
  keys: string[];
  /** How the help overlay writes the keys. */
  shown: string;
  label: string;
  /** Runs the command; `key` is the key that was pressed. */
  perform(key: string): void;
}

/** The state the commands act on. */
export interface CommandTargets {
  app: AppState;
  explore: ExploreModel;
  training: TrainingModel;
  theme: ThemeState;
}

export function createCommands({ app, explore, training, theme }: CommandTargets): Command[] {
  const goAndSurprise = async (): Promise<void> => {
    if (!app.project || !app.available('explore')) return;
    app.go('explore');
    await explore.surprise();
  };
  return [
    { keys: ['1', '2', '3', '4', '5', '6', '7', '8'], shown: '1 – 8', label: SCREENS.map((s) => s.label).join(', '), perform: (key) => app.goByIndex(Number(key) - 1) },
    { keys: [' '], shown: 'Space', label: 'Start, pause or resume training', perform: () => void training.toggle() },
    { keys: ['s', 'S'], shown: 'S', label: 'Save the explored image to the gallery', perform: () => void (app.screen === 'explore' && explore.save()) },
    { keys: ['r', 'R'], shown: 'R', label: 'Surprise me: a sample from the prior', perform: () => void goAndSurprise() },
    { keys: ['t', 'T'], shown: 'T', label: 'Switch dark / light theme', perform: () => theme.toggle() },
    { keys: ['?'], shown: '?', label: 'Show or hide this help', perform: () => (app.helpOpen = !app.helpOpen) },
    { keys: ['Escape'], shown: 'Esc', label: 'Close this help', perform: () => (app.helpOpen = false) },
  ];
}

/** Runs the command for a key press unless the user is typing in a field. */
export function handleKey(commands: Command[], e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement | null;
  const typing = target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
  if (typing && !(target instanceof HTMLInputElement && target.type === 'range') && e.key !== 'Escape') return;
  const command = commands.find((c) => c.keys.includes(e.key));
  if (!command) return;
  if (e.key === ' ' && target instanceof HTMLButtonElement) return; // Space presses the focused button instead
  e.preventDefault();
  command.perform(e.key);
}
