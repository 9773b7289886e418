// Dark and light themes: follow the OS until the user picks one, then remember the choice.
export type Theme = 'light' | 'dark';
const KEY = 'vae-studio-theme';

export class ThemeState {
  chosen = $state<Theme | null>(null);
  system = $state<Theme>('light');
  current = $derived<Theme>(this.chosen ?? this.system);

  start(): void {
    const stored = localStorage.getItem(KEY);
    if (stored === 'light' || stored === 'dark') this.chosen = stored;
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.system = query.matches ? 'dark' : 'light';
    query.addEventListener('change', (e) => (this.system = e.matches ? 'dark' : 'light'));
  }

  toggle(): void {
    this.chosen = this.current === 'dark' ? 'light' : 'dark';
    localStorage.setItem(KEY, this.chosen);
  }
}

export const theme = new ThemeState();
