// Where exports go and how they are written: unique generated names in the exports folder by default, a path the
// user chose otherwise (never replacing a file of theirs), written atomically, and each registered as media
// "export/<token>" so the browser can download it.
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { RpcError } from '../../../shared/contract/define';
import { writeFileAtomic } from '../../engine/images';
import { firstFreeName } from '../../engine/images/free-name';
import type { AppContext, Media } from '../api';
import { userPath } from '../paths';

export type ExportKind = 'image' | 'sheet' | 'animation' | 'strip' | 'decoder';

const MIME: Record<string, string> = { '.png': 'image/png', '.gif': 'image/gif' };
/**
 * Names this app generates: "[<what it is> - ]<kind>-YYYYMMDD-HHMMSS[-N][.ext]", e.g.
 * "Drawings - sheet of 12 - step 848 - 8x pixel-sharp - sheet-20261202-053800.png".
 */
const GENERATED_NAME = /^(.* - )?(image|sheet|animation|strip|decoder)-\d{8}-\d{6}(-\d+)?(\.png|\.gif)?$/;

export interface ExportTarget {
  path: string;
  /** An empty placeholder holds the name until the export is written; release() removes it if the export fails. */
  claimed: boolean;
}

export class ExportFiles {
  private readonly downloads = new Map<string, Media>();
  private count = 0;

  constructor(private readonly app: AppContext) {
    app.registerMedia('export', (token) => this.downloads.get(token) ?? null);
  }

  /**
   * The file to write: `requested` (checked) or a new unique name in the exports folder, which starts with
   * `description` (what the file is: project, content, step, size) when given.
   */
  async fileTarget(kind: ExportKind, extension: '.png' | '.gif', requested: string | undefined, description?: string): Promise<ExportTarget> {
    if (requested === undefined) return this.claimGenerated(kind, extension, description);
    const path = userPath(requested);
    if (extname(path).toLowerCase() !== extension) {
      throw new RpcError('invalid-input', `This export is a ${extension.slice(1).toUpperCase()} file, so its name must end in ${extension}; "${basename(path)}" does not.`);
    }
    if ((await existing(path)) && !this.isReplaceable(path)) {
      throw new RpcError('invalid-input', `${path} already exists and was not made by this app; choose another name, or delete that file first.`);
    }
    return { path, claimed: false };
  }

  /** The folder for a decoder model: `requested` (must hold no model yet) or a new one in the exports folder. */
  async folderTarget(requested: string | undefined, files: readonly string[], description?: string): Promise<string> {
    if (requested === undefined) {
      const folder = this.app.options.exportsFolder;
      await mkdir(folder, { recursive: true });
      const prefix = description ? `${safeName(description)} - ` : '';
      return (await firstFreeName((n) => join(folder, prefix + generatedName('decoder', '', n)), async (path) => !(await claim(() => mkdir(path)))))!;
    }
    const path = userPath(requested);
    const kind = await existing(path);
    if (kind === 'file') throw new RpcError('invalid-input', `${path} is a file; choose a folder for the decoder model.`);
    for (const file of files) {
      if ((await existing(join(path, file))) && !this.isReplaceable(path)) {
        throw new RpcError('invalid-input', `${path} already holds a ${file}; choose an empty or new folder.`);
      }
    }
    await mkdir(path, { recursive: true });
    return path;
  }

  /** Writes `bytes` to the target atomically and returns the download reference. */
  async write(target: ExportTarget, bytes: Uint8Array): Promise<string> {
    await writeFileAtomic(target.path, bytes);
    target.claimed = false;
    return this.register(target.path);
  }

  /** After a failed export: removes the placeholder that claimed a generated name (a user's path is left alone). */
  async release(target: ExportTarget): Promise<void> {
    if (target.claimed) await unlink(target.path).catch(() => undefined);
    target.claimed = false;
  }

  /** Makes a written file downloadable as media "export/<token>". */
  register(path: string): string {
    const safe = basename(path).replace(/[^A-Za-z0-9._-]/g, '_').slice(-150);
    const token = `${++this.count}-${safe}`;
    this.downloads.set(token, { file: path, mime: MIME[extname(path).toLowerCase()] ?? 'application/octet-stream', filename: basename(path) });
    return this.app.mediaRef('export', token);
  }

  /** A file (or folder) this app generated in its exports folder may be written again; nothing else is replaced. */
  private isReplaceable(path: string): boolean {
    return relative(this.app.options.exportsFolder, dirname(path)) === '' && GENERATED_NAME.test(basename(path));
  }

  private async claimGenerated(kind: ExportKind, extension: string, description?: string): Promise<ExportTarget> {
    const folder = this.app.options.exportsFolder;
    await mkdir(folder, { recursive: true });
    // Creating the file claims the name: a concurrent export picks the next one.
    const claimFile = (path: string) => claim(async () => (await open(path, 'wx')).close());
    const prefix = description ? `${safeName(description)} - ` : '';
    const path = (await firstFreeName((n) => join(folder, prefix + generatedName(kind, extension, n)), async (p) => !(await claimFile(p))))!;
    return { path, claimed: true };
  }
}

/** Creates a file or folder to hold its name; false when something is already there. */
async function claim(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function generatedName(kind: ExportKind, extension: string, n: number): string {
  const now = new Date();
  const pad = (v: number) => String(v).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${kind}-${stamp}${n > 1 ? `-${n}` : ''}${extension}`;
}

/** A description made safe as part of a file name on every desktop OS. */
function safeName(text: string): string {
  return text.normalize('NFC').replace(/[\u0000-\u001f<>:"/\\|?*]/g, '-').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 120);
}

async function existing(path: string): Promise<'file' | 'folder' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
