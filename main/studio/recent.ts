// The recent-projects list kept between launches (recent-projects.json in the config folder). Written
// atomically; a damaged or unreadable file is set aside with a notice and never stops the app from starting.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/images';

const MAX_RECENT = 20;

const entrySchema = z.object({ path: z.string().min(1), name: z.string(), openedAt: z.string() });
const fileSchema = z.object({ version: z.literal(1), projects: z.array(entrySchema) });

export type RecentEntry = z.infer<typeof entrySchema>;

export class RecentProjects {
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();
  /** The damaged file is told about once, not on every read until it is rewritten. */
  private toldDamaged = false;

  constructor(
    private readonly configFolder: string,
    private readonly notice: (line: string) => void = (line) => console.warn(line),
  ) {
    this.file = join(configFolder, 'recent-projects.json');
  }

  /** Newest first, each saying whether the file is still there. */
  list(): (RecentEntry & { exists: boolean })[] {
    return this.read().map((entry) => ({ ...entry, exists: existsSync(entry.path) }));
  }

  /** Resolves when the saves asked for so far have been written (or have failed and been told). */
  settled(): Promise<void> {
    return this.writing;
  }

  /** Puts `path` first (once) and saves the list. */
  add(path: string): Promise<void> {
    const entry: RecentEntry = { path, name: projectName(path), openedAt: new Date().toISOString() };
    return this.update((list) => [entry, ...list.filter((e) => e.path !== path)].slice(0, MAX_RECENT));
  }

  remove(path: string): Promise<void> {
    return this.update((list) => list.filter((e) => e.path !== path));
  }

  private read(): RecentEntry[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.notice(`Could not read the recent projects list (${this.file}): ${(error as Error).message}. Starting with an empty list.`);
      }
      return [];
    }
    try {
      return fileSchema.parse(JSON.parse(text)).projects;
    } catch {
      if (this.toldDamaged) return [];
      this.toldDamaged = true;
      this.notice(`The recent projects list (${this.file}) is damaged and was ignored; it will be rewritten.`);
      return [];
    }
  }

  /** Read-modify-write, one at a time, so two quick opens never lose each other's entry. */
  private update(change: (list: RecentEntry[]) => RecentEntry[]): Promise<void> {
    const write = this.writing.then(async () => {
      const body = JSON.stringify({ version: 1, projects: change(this.read()) }, null, 2) + '\n';
      await mkdir(this.configFolder, { recursive: true });
      await writeFileAtomic(this.file, body);
      this.toldDamaged = false;
    });
    // A failed save is told once and must not poison later saves.
    this.writing = write.catch((error: Error) => this.notice(`Could not save the recent projects list: ${error.message}`));
    return this.writing;
  }
}

/** "~/art/Sketches.vaestudio" → "Sketches". */
export function projectName(path: string): string {
  const base = basename(path);
  return extname(base) ? base.slice(0, -extname(base).length) : base;
}
