/**
 * Denoises every image of a folder into another folder, resumably. Each file's status lives in the project
 * (store.denoiseBatches), so a batch stopped by a crash, a full disk or a cancel picks up where it left off when
 * run again with the same folders: done items stay done, and each output is written once. Per item:
 *   read + check the input → pick the output name (conflict policy) → denoise → claim the output in the store
 *   (name + sha256 of the bytes) → write temp, fsync, rename → mark done.
 * A claimed item whose output is already in place with the claimed hash (killed after the rename) is marked done
 * without denoising again. Inputs are only ever read. Per-file problems are recorded and the batch goes on; a
 * full disk or a folder that cannot be written stops it with a clear message, keeping what finished.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, type JobContext, ProgressTracker } from '../progress';
import { FileWriteError, writeFileAtomic } from '../images/atomic-write';
import { ImageError } from '../images/image-error';
import { readImageFile } from '../images/read-input';
import { scanFolder, type SkipKind } from '../images/scan';
import { sniffFormat } from '../images/sniff';
import { errnoCode } from '../images/os-reason';
import { sha256Hex } from '../store/hash';
import type { ConflictPolicy, DenoiseItem, ItemNoise } from '../store/denoise-batches';
import type { ProjectStore } from '../store/project-store';
import { DenoiseBatchError, writeErrorCode } from './errors';
import { checkFoldersApart, checkWritable, IGNORE_CASE, resolveInput, resolveOutput } from './folders';
import { firstFreeName, numbered, pathExists } from '../images/free-name';

export interface DenoiseBatchOptions {
  input: string;
  output: string;
  onConflict: ConflictPolicy;
  /** Replace each output's extension (e.g. '.png' when the denoiser always writes PNG). Default: keep the name. */
  outputExtension?: string;
}

/**
 * Denoises one file, returning the encoded output, or it with the photo's noise level to record. Throw an
 * ImageError for a file it cannot read.
 */
export type DenoiseFile = (absIn: string) => Promise<Uint8Array | { bytes: Uint8Array; noise: ItemNoise }>;

export interface DenoiseBatchReport {
  batchId: number;
  inputFolder: string;
  outputFolder: string;
  /** Counts over the whole batch, including earlier runs of it. */
  done: number;
  skipped: number;
  failed: Array<{ path: string; reason: string }>;
  /** Outputs written by this run. */
  written: number;
  /** True when an earlier, unfinished or finished, batch for the same folders was continued. */
  resumed: boolean;
  /** Each denoised photo's noise σ (0..255): estimated, and what its denoising was set for (null: not recorded). */
  noise: Array<{ path: string } & ItemNoise>;
}

/** Scan results that are files we could not read (rather than things that are not files at all). */
const FAILED_SCAN_KINDS: ReadonlySet<SkipKind> = new Set(['unreadable', 'special', 'broken-symlink', 'bad-name']);

export async function runDenoiseBatch(
  store: ProjectStore,
  opts: DenoiseBatchOptions,
  denoiseFile: DenoiseFile,
  ctx: JobContext = {},
): Promise<DenoiseBatchReport> {
  const input = await resolveInput(opts.input);
  const output = await resolveOutput(opts.output);
  checkFoldersApart(input, output);
  await checkWritable(output);

  const repo = store.denoiseBatches;
  const existing = repo.latestFor(input, output);
  const batch = existing ?? repo.create({ inputFolder: input, outputFolder: output, onConflict: opts.onConflict });
  const batchId = batch.id;
  repo.update(batchId, { status: 'running', error: null, onConflict: opts.onConflict });
  if (existing) repo.retryUnfinished(batchId);

  const progress = new ProgressTracker('batch-denoise', ctx.onProgress);
  let written = 0;
  try {
    progress.update(0, null, `Scanning ${input}`, undefined, true);
    const scan = await scanFolder(input, { signal: ctx.signal });
    const scanFailed = scan.skipped.filter((s) => FAILED_SCAN_KINDS.has(s.kind));
    repo.addItems(batchId, [...scan.files.map((f) => f.relPath), ...scanFailed.map((s) => s.path)]);
    for (const s of scanFailed) {
      if (repo.item(batchId, s.path)?.status === 'pending') repo.markFailed(batchId, s.path, s.reason);
    }

    const pending = repo.items(batchId, 'pending');
    const before = repo.counts(batchId);
    const already = before.done + before.skipped;
    const run = { repo, batchId, input, output, policy: opts.onConflict, ext: opts.outputExtension, denoiseFile };
    for (let i = 0; i < pending.length; i++) {
      if (ctx.signal?.aborted) throw new CancelledError();
      const item = pending[i];
      const message = `${item.path} · ${i + 1}/${pending.length}${already ? ` (${already} done before)` : ''}`;
      progress.update(i, pending.length, message, { file: item.path, batchId }, i === 0);
      if ((await processItem(run, item)) === 'written') written += 1;
    }
    repo.update(batchId, { status: 'completed', error: null });
    const counts = repo.counts(batchId);
    progress.update(pending.length, pending.length, `${counts.done} denoised, ${counts.skipped} skipped, ${counts.failed} failed`, { ...counts }, true);
  } catch (err) {
    const cancelled = err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
    const message = err instanceof Error ? err.message : String(err);
    try {
      repo.update(batchId, cancelled ? { status: 'cancelled' } : { status: 'stopped', error: message });
    } catch {
      // The project itself cannot be written (full disk): the original error says more.
    }
    const done = repo.counts(batchId).done;
    if (cancelled) throw new CancelledError(`Denoising cancelled; ${done === 1 ? '1 finished file is' : `${done} finished files are`} kept`);
    throw err;
  }
  return report(store, batchId, written, existing !== undefined);
}

interface BatchRun {
  repo: ProjectStore['denoiseBatches'];
  batchId: number;
  input: string;
  output: string;
  policy: ConflictPolicy;
  ext: string | undefined;
  denoiseFile: DenoiseFile;
}

async function processItem(run: BatchRun, item: DenoiseItem): Promise<'written' | 'done' | 'skipped' | 'failed'> {
  const { repo, batchId } = run;
  // Killed after the rename but before "done" was saved: the claimed output is complete (rename is atomic).
  if (item.outputPath && item.outputSha256 && (await fileSha(item.outputPath)) === item.outputSha256) {
    await removeStaleTemps(item.outputPath);
    repo.markDone(batchId, item.path);
    return 'done';
  }

  const absIn = path.join(run.input, ...item.path.split('/'));
  let bytes: Buffer;
  try {
    bytes = await readImageFile(absIn);
    const sniffed = sniffFormat(bytes.subarray(0, 64));
    if (!sniffed) throw new ImageError('not-image', 'not an image (unrecognised format)');
    if (!sniffed.decodable) throw new ImageError('unsupported', `unsupported image format (${sniffed.label})`);
  } catch (err) {
    repo.markFailed(batchId, item.path, reasonOf(err));
    return 'failed';
  }
  const sha256 = sha256Hex(bytes);

  let target = item.outputPath; // claimed by an earlier, interrupted run: ours to overwrite
  if (!target) {
    const natural = path.join(run.output, ...outputRelPath(item.path, run.ext).split('/'));
    const taken = repo.isOutputTaken(batchId, natural, item.path, IGNORE_CASE);
    if (!taken && (await pathExists(natural))) {
      if (run.policy === 'skip') {
        repo.markSkipped(batchId, item.path, 'output exists', natural, sha256);
        return 'skipped';
      }
      target = run.policy === 'overwrite' ? natural : await uniqueName(run, natural, item.path);
    } else {
      // Another input of this batch maps to the same name (photo.jpg and photo.png → photo.png): never overwrite it.
      target = taken ? await uniqueName(run, natural, item.path) : natural;
    }
  }

  let result: Uint8Array;
  let noise: ItemNoise | undefined;
  try {
    const out = await run.denoiseFile(absIn);
    [result, noise] = out instanceof Uint8Array ? [out, undefined] : [out.bytes, out.noise];
  } catch (err) {
    if (err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError')) throw err;
    repo.markFailed(batchId, item.path, reasonOf(err), sha256);
    return 'failed';
  }

  try {
    await mkdir(path.dirname(target), { recursive: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      repo.markFailed(batchId, item.path, `cannot create the output folder: a file is in the way`, sha256);
      return 'failed';
    }
    throw stopError(err, target);
  }
  repo.claimOutput(batchId, item.path, target, sha256Hex(result), sha256, noise);
  await removeStaleTemps(target);
  try {
    await writeFileAtomic(target, result);
  } catch (err) {
    if (err instanceof FileWriteError && err.kind === 'is-folder') {
      repo.markFailed(batchId, item.path, err.message, sha256);
      return 'failed';
    }
    throw stopError(err, target);
  }
  repo.markDone(batchId, item.path);
  return 'written';
}

function stopError(err: unknown, target: string): DenoiseBatchError {
  const kind = err instanceof FileWriteError ? err.kind : undefined;
  const base = err instanceof Error ? err.message : String(err);
  const code = kind ? writeErrorCode(kind) : errnoCode(err) === 'ENOSPC' ? 'disk-full' : 'write-failed';
  const why = code === 'disk-full' ? `The disk is full (writing ${path.basename(target)})` : base;
  return new DenoiseBatchError(code, `${why}. Denoising stopped; finished files are kept and the batch resumes when run again.`, {
    cause: err,
  });
}

function reasonOf(err: unknown): string {
  if (err instanceof ImageError) return err.reason;
  return err instanceof Error ? err.message : String(err);
}

/** The output's path below the output folder: the input's, with the extension replaced if asked. */
function outputRelPath(rel: string, ext: string | undefined): string {
  if (ext === undefined) return rel;
  const dot = ext === '' || ext.startsWith('.') ? ext : `.${ext}`;
  const base = path.posix.basename(rel);
  const stem = base.includes('.') && !base.startsWith('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return path.posix.join(path.posix.dirname(rel), stem + dot);
}

/** "photo (1).png", "photo (2).png", … : the first name neither on disk nor claimed by another item. */
async function uniqueName(run: BatchRun, natural: string, itemPath: string): Promise<string> {
  const taken = async (candidate: string) => run.repo.isOutputTaken(run.batchId, candidate, itemPath, IGNORE_CASE) || (await pathExists(candidate));
  const name = await firstFreeName(numbered(natural), taken);
  if (name === undefined) throw new DenoiseBatchError('write-failed', `No free name for ${path.basename(natural)} in ${path.dirname(natural)}`);
  return name;
}

async function fileSha(file: string): Promise<string | undefined> {
  try {
    return sha256Hex(await readFile(file));
  } catch {
    return undefined;
  }
}

/** Temp files writeFileAtomic left for `target` when a run was killed mid-write (".<name>.<pid>.<hex>.tmp"). */
async function removeStaleTemps(target: string): Promise<void> {
  const stem = Array.from(path.basename(target)).slice(0, 32).join('');
  const prefix = `.${stem}.`;
  let names: string[];
  try {
    names = await readdir(path.dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^\.(.*)\.(\d+)\.[0-9a-f]{12}\.tmp$/s.exec(name);
    if (m && m[1] === stem && Number(m[2]) !== process.pid) await unlink(path.join(path.dirname(target), name)).catch(() => undefined);
  }
}

export function report(store: ProjectStore, batchId: number, written = 0, resumed = false): DenoiseBatchReport {
  const repo = store.denoiseBatches;
  const batch = repo.get(batchId);
  if (!batch) throw new DenoiseBatchError('input-missing', `There is no denoise batch ${batchId}`);
  const counts = repo.counts(batchId);
  const failed = repo.items(batchId, 'failed').map((i) => ({ path: i.path, reason: i.error ?? 'failed' }));
  const noise = repo.items(batchId, 'done').map((i) => ({ path: i.path, estimatedSigma: i.estimatedSigma, sigma: i.sigma }));
  return {
    batchId,
    inputFolder: batch.inputFolder,
    outputFolder: batch.outputFolder,
    done: counts.done,
    skipped: counts.skipped,
    failed,
    written,
    resumed,
    noise,
  };
}
