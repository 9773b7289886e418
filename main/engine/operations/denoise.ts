// Denoising as jobs: one image in memory (the app), one file, or a whole folder (resumable, through
// runDenoiseBatch). Originals are only ever read; every output is written temp → fsync → rename.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { runDenoiseBatch, type DenoiseBatchReport } from '../denoise/batch';
import { DenoiseBatchError } from '../denoise/errors';
import { checkFoldersApart, checkWritable, resolveInput, resolveOutput } from '../denoise/folders';
import { firstFreeName, numbered, pathExists } from '../images/free-name';
import { FileWriteError, writeFileAtomic } from '../images/atomic-write';
import { ImageError } from '../images/image-error';
import { readImageFile } from '../images/read-input';
import { type JobContext, ProgressTracker } from '../progress';
import type { ProjectStore } from '../store';
import type { ConflictPolicy } from '../store/denoise-batches';
import type { DenoiseQuality } from '../ml/denoiser/self-ensemble';
import { InvalidOptionError } from './options';
import { checkQuality, checkSigma, checkStrength, type DenoiserChoice, type DenoiserSession, type NoiseLevel, openDenoiser } from './denoiser-session';

export { denoiseAtModelSize } from './denoiser-session';

export interface DenoiseOptions extends DenoiserChoice {
  strength?: number;
  /** Noise σ on 0..255 for every photo, instead of each photo's own estimate. */
  sigma?: number;
  /** 'fast' (default) or 'best' (see DenoiserSession.bestQuality). */
  quality?: DenoiseQuality;
  onConflict?: ConflictPolicy;
}

export interface DenoiseFileResult {
  input: string;
  /** Where the output went (a unique name when the asked-for one existed and the policy is rename). */
  output: string;
  status: 'done' | 'skipped';
  reason?: string;
  width?: number;
  height?: number;
  /** The photo's noise level and the share of the denoised image it got (denoise projects). */
  noise?: NoiseLevel;
  /** With --quality best: what ran, in words. */
  best?: string;
}

async function withSession<T>(store: ProjectStore, opts: DenoiserChoice, ctx: JobContext, fn: (s: DenoiserSession) => Promise<T>): Promise<T> {
  const session = await openDenoiser(store, opts, ctx.onNotice);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

export async function denoiseFile(store: ProjectStore, inPath: string, outPath: string, opts: DenoiseOptions = {}, ctx: JobContext = {}): Promise<DenoiseFileResult> {
  checkOptions(store, opts);
  const input = path.resolve(inPath);
  const output = outputPathFor(store, path.resolve(outPath));
  if ((await realPathOrSelf(input)) === (await realPathOrSelf(output))) {
    throw new DenoiseBatchError('same-file', `The output is the input file (${input}): choose another output so the original stays untouched`);
  }
  let bytes: Buffer;
  try {
    bytes = await readImageFile(input);
  } catch (err) {
    const reason = err instanceof ImageError ? err.reason : String(err);
    throw new DenoiseBatchError('unreadable-input', `Cannot denoise ${inPath}: ${reason}`, { cause: err });
  }
  await checkWritable(path.dirname(output));
  const policy = opts.onConflict ?? 'rename';
  let target = output;
  if (await pathExists(output)) {
    if (policy === 'skip') return { input, output, status: 'skipped', reason: 'output exists' };
    if (policy === 'rename') target = await uniqueName(output);
  }

  const progress = new ProgressTracker('denoise', ctx.onProgress);
  progress.update(0, null, `Denoising ${path.basename(input)}`, undefined, true);
  const result = await withSession(store, opts, ctx, async (s) => {
    try {
      const out = await s.denoise(bytes, {
        strength: opts.strength,
        sigma: opts.sigma,
        quality: opts.quality,
        signal: ctx.signal,
        onTile: (done, total) => progress.update(done, total, `${path.basename(input)} · tile ${done}/${total}`, { done, total }, done === total),
      });
      return { ...out, best: opts.quality === 'best' ? s.bestQuality : undefined };
    } catch (err) {
      if (err instanceof ImageError) throw new DenoiseBatchError('unreadable-input', `Cannot denoise ${inPath}: ${err.reason}`, { cause: err });
      throw err;
    }
  });
  try {
    await writeFileAtomic(target, result.bytes);
  } catch (err) {
    const kind = err instanceof FileWriteError ? err.kind : 'other';
    const code = kind === 'disk-full' || kind === 'read-only' || kind === 'permission' ? kind : 'write-failed';
    throw new DenoiseBatchError(code, err instanceof Error ? err.message : String(err), { cause: err });
  }
  return {
    input,
    output: target,
    status: 'done',
    width: result.width,
    height: result.height,
    ...(result.noise ? { noise: result.noise } : {}),
    ...(result.best ? { best: result.best } : {}),
  };
}

/** Every image below `inDir` into the same relative paths below `outDir`; resumable (see denoise/batch.ts). */
export async function denoiseFolder(
  store: ProjectStore,
  inDir: string,
  outDir: string,
  opts: DenoiseOptions = {},
  ctx: JobContext = {},
): Promise<DenoiseBatchReport & { weights: number | 'pretrained'; best?: string }> {
  checkOptions(store, opts);
  // Refuse bad folders before loading the model (runDenoiseBatch checks again, as it must on its own).
  const output = await resolveOutput(outDir);
  checkFoldersApart(await resolveInput(inDir), output);
  await checkWritable(output);
  return withSession(store, opts, ctx, async (s) => {
    const report = await runDenoiseBatch(
      store,
      // A generator's reconstructions are PNG at its own size, whatever came in.
      { input: inDir, output: outDir, onConflict: opts.onConflict ?? 'rename', outputExtension: s.mode === 'generator' ? '.png' : undefined },
      async (absIn) => {
        const out = await s.denoise(await readImageFile(absIn), { strength: opts.strength, sigma: opts.sigma, quality: opts.quality, signal: ctx.signal });
        return out.noise ? { bytes: out.bytes, noise: { estimatedSigma: out.noise.estimatedSigma, sigma: out.noise.sigma } } : out.bytes;
      },
      ctx,
    );
    return { ...report, weights: s.weights, ...(opts.quality === 'best' && s.bestQuality ? { best: s.bestQuality } : {}) };
  });
}

/** Refuses bad options before any file is read or the model loaded (a batch would fail every file instead). */
function checkOptions(store: ProjectStore, opts: DenoiseOptions): void {
  checkStrength(opts.strength);
  checkSigma(opts.sigma);
  const generator = store.getSettings().kind !== 'denoise';
  if (opts.sigma !== undefined && generator) {
    throw new InvalidOptionError('--sigma is for denoise projects: a generator project reconstructs the photo through its VAE whatever the noise');
  }
  if (checkQuality(opts.quality) === 'best' && generator) {
    throw new InvalidOptionError('--quality best is for denoise projects: a generator project reconstructs the photo through its VAE once');
  }
}

/** A generator's reconstructions are PNG at its own size whatever came in (as in denoiseFolder): name them so. */
function outputPathFor(store: ProjectStore, output: string): string {
  if (store.getSettings().kind !== 'generate' || path.extname(output).toLowerCase() === '.png') return output;
  return output.slice(0, output.length - path.extname(output).length) + '.png';
}

async function realPathOrSelf(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return p;
  }
}

/** "photo (1).jpg", "photo (2).jpg", …: the first that does not exist. */
async function uniqueName(file: string): Promise<string> {
  const name = await firstFreeName(numbered(file));
  if (name === undefined) throw new DenoiseBatchError('write-failed', `No free name for ${path.basename(file)} in ${path.dirname(file)}`);
  return name;
}
