// Import: scan a folder, decode what changed since the last import, record every file's outcome, and drop rows
// for files that disappeared. One file failing never stops the import. When the project changes between RGB and
// RGBA (--alpha), every image it holds is prepared again, from whichever folder it was imported.
import { join, resolve } from 'node:path';
import { prepareImages, scanFolder, type ScannedFile } from '../images';
import { type JobContext, ProgressTracker } from '../progress';
import type { AlphaMode, ImageCounts, ImageInput, ProjectStore } from '../store';
import { DENOISE_CROPS_PER_PHOTO } from '../store/settings';
import { decideImageFormat } from './image-format';

export interface ImportReport {
  folder: string;
  scanned: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: { path: string; reason: string }[];
  duplicates: { path: string; of: string }[];
  skipped: { path: string; reason: string }[];
  counts: ImageCounts;
  /** Channels of the project's prepared images after this import: 3 (RGB) or 4 (RGBA, transparency kept). */
  imageChannels: 3 | 4;
  /** Images prepared again because the project changed between RGB and RGBA. */
  reprepared: number;
}

export interface ImportOptions {
  /** Transparency: decide from the images ('auto'), keep it or flatten it; default the project's choice. */
  alpha?: AlphaMode;
}

/** Rows are written in batches, each one transaction, so a killed import keeps what it finished. */
const WRITE_BATCH = 64;

export async function importFolder(store: ProjectStore, folder: string, ctx: JobContext = {}, opts: ImportOptions = {}): Promise<ImportReport> {
  const root = resolve(folder);
  const { imageSize: size, kind } = store.getSettings();
  const progress = new ProgressTracker('import', ctx.onProgress);
  progress.update(0, null, `Scanning ${root}`, undefined, true);
  const scan = await scanFolder(root, {
    signal: ctx.signal,
    onProgress: (found) => progress.update(0, null, `Scanning… ${found} files found`),
  });

  // The project itself (and SQLite's files beside it) may live in the folder it imports: not images.
  const own = new Set(['', '-wal', '-shm', '-journal'].map((suffix) => resolve(store.path) + suffix));
  scan.files = scan.files.filter((f) => !own.has(resolve(f.absPath)));

  const before = store.getSettings();
  const format = await decideImageFormat(store, opts.alpha, scan.files, ctx.signal);
  if (format.alpha !== before.alpha || format.imageChannels !== before.imageChannels) store.setImageFormat(format);
  const stale = store.images.stale();
  const staleHere = new Set(stale.filter((r) => r.root === root).map((r) => r.path));
  // Images imported from other folders that need preparing again, read from where they were found.
  const elsewhere = stale
    .filter((r) => r.root !== root)
    .map((r) => ({ root: r.root, file: { relPath: r.path, absPath: join(r.root, ...r.path.split('/')), size: r.byteSize, mtimeMs: r.mtimeMs } }));

  const known = new Map(store.images.list({ root }).map((r) => [r.path, r]));
  const changed: ScannedFile[] = [];
  let unchanged = 0;
  for (const file of scan.files) {
    const row = known.get(file.relPath);
    if (row && row.byteSize === file.size && row.mtimeMs === file.mtimeMs && !staleHere.has(file.relPath)) unchanged++;
    else changed.push(file);
  }

  let added = 0;
  let updated = 0;
  let pending: ImageInput[] = [];
  const flush = () => {
    if (pending.length) store.images.upsertMany(pending);
    pending = [];
  };
  const work = [...changed.map((file) => ({ root, file })), ...elsewhere];
  await prepareImages(work.map((w) => ({ ...w.file, root: w.root })), size, {
    // A denoiser learns from native-resolution detail and noise, so its project keeps crops, not resized images.
    crops: kind === 'denoise' ? DENOISE_CROPS_PER_PHOTO : undefined,
    alpha: format.imageChannels === 4,
    signal: ctx.signal,
    collect: false,
    onProgress: (done, total, file) =>
      progress.update(done, total, `Importing ${done}/${total} · ${file.relPath}`, { done, total }, done === total),
    onResult: (outcome) => {
      const { file } = outcome;
      if (file.root !== root || known.has(file.relPath)) updated++;
      else added++;
      const facts = { root: file.root, path: file.relPath, byteSize: file.size, mtimeMs: file.mtimeMs };
      pending.push(
        outcome.ok
          ? {
              ...facts,
              status: 'ok',
              sha256: outcome.image.sha256,
              width: outcome.image.width,
              height: outcome.image.height,
              format: outcome.image.format,
              pixels: outcome.image.pixels,
            }
          : { ...facts, status: 'failed', error: outcome.reason },
      );
      if (pending.length >= WRITE_BATCH) flush();
    },
  });
  flush();
  const removed = store.images.removeMissing(root, scan.files.map((f) => f.relPath));

  const rows = store.images.list({ root });
  return {
    folder: root,
    scanned: scan.files.length,
    added,
    updated,
    unchanged,
    removed,
    failed: rows.filter((r) => r.status === 'failed').map((r) => ({ path: r.path, reason: r.error ?? 'unknown error' })),
    duplicates: rows.filter((r) => r.status === 'duplicate').map((r) => ({ path: r.path, of: r.error ?? '' })),
    skipped: scan.skipped.filter((s) => s.kind !== 'hidden').map((s) => ({ path: s.path, reason: s.reason })),
    counts: store.images.counts(),
    imageChannels: format.imageChannels,
    reprepared: staleHere.size + elsewhere.length,
  };
}
