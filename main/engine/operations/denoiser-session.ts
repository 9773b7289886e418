// A project's denoiser, ready to run on whole photos: a denoise project's best checkpoint at denoising held-out
// crops (or the shipped pretrained weights while none beats them) on all cores, tiled over full-resolution
// images; or, in a generator project, the VAE itself: encode → decode at its own resolution.
import { readFileSync } from 'node:fs';
import { estimateNoise } from '../denoise/noise-level';
import { processTiled } from '../denoise/tiling';
import { decodePhoto, encodeLike } from '../images/photo-io';
import { encodePng, prepareImageBuffer } from '../images';
import { type BackendChoice, type BackendReport, initBackend } from '../ml/backends';
import { OnnxDenoiser } from '../ml/onnx/denoiser-inference';
import { syncOrt } from '../ml/onnx/sync-session';
import { DenoiserModel } from '../ml/denoiser/model';
import { removedChromaShare, restoreChromaNoise } from '../ml/denoiser/jpeg-chroma';
import { blendForNoise } from '../ml/denoiser/noise-blend';
import { pretrainedDenoiser, pretrainedDenoiserPath } from '../ml/denoiser/pretrained';
import { BEST_DENOISER } from '../ml/denoiser/architecture';
import { DENOISE_QUALITIES, type DenoiseQuality, tileFnFor } from '../ml/denoiser/self-ensemble';
import { DenoiserTilePool } from '../ml/denoiser/tile-pool';
import { gatherBatch } from '../ml/batches';
import type { VaeModel } from '../ml/model';
import type { ProjectStore } from '../store';
import { loadModel, pickCheckpoint } from './model-io';
import { InvalidOptionError } from './options';
import { denoiserConfigFor } from './training/denoise-kind';
import { MAX_SIGMA, type NoiseLevel } from '../../../shared/services/denoise';

export type { NoiseLevel };

/** Tiles of at most this side (bounded memory whatever the photo's size), overlapping enough to hide borders. */
export const TILE = 320;
export const TILE_OVERLAP = 32;

/**
 * Tiles for a photo: as few per axis as TILE allows, each just large enough to cover the axis with TILE_OVERLAP
 * (a 512-px side is two 272-px tiles, not three of 256: the overlap is work done twice), and at least `minTiles`
 * (one per thread) when the photo is large enough to split.
 */
export function tileLayout(width: number, height: number, minTiles = 1): { width: number; height: number } {
  const count = (size: number) => Math.max(1, Math.ceil((size - TILE_OVERLAP) / (TILE - TILE_OVERLAP)));
  let nx = count(width);
  let ny = count(height);
  if (nx * ny < minTiles && Math.max(width, height) >= 4 * TILE_OVERLAP) {
    if (width >= height) nx = Math.max(nx, Math.min(minTiles, Math.floor(width / (2 * TILE_OVERLAP))));
    else ny = Math.max(ny, Math.min(minTiles, Math.floor(height / (2 * TILE_OVERLAP))));
  }
  const side = (size: number, n: number) => Math.min(size, 2 * Math.ceil((size + (n - 1) * TILE_OVERLAP) / n / 2));
  return { width: side(width, nx), height: side(height, ny) };
}

export interface DenoiserChoice {
  checkpointId?: number;
  backend?: BackendChoice;
  /** Threads for tiles; default one per core. */
  threads?: number;
}

export interface DenoiseImageOptions {
  /**
   * 0 keeps the input, 1 (default) the full result for the photo's noise level; in between scales the share of
   * the denoised image.
   */
  strength?: number;
  /** The photo's noise σ on 0..255, when the user knows it better than the estimate. */
  sigma?: number;
  /** 'fast' (default): one pass; 'best': what the session's `bestQuality` says. */
  quality?: DenoiseQuality;
  signal?: AbortSignal;
  onTile?: (done: number, total: number) => void;
}

export interface DenoisedImage {
  bytes: Buffer;
  width: number;
  height: number;
  /** Output format: the input's for a denoiser, PNG for a generator's own-resolution reconstruction. */
  format: string;
  /** The photo's noise and what it set (a denoiser; a generator reconstructs whatever the noise). */
  noise?: NoiseLevel;
}

export interface DenoiserSession {
  /** 'denoiser': full resolution; 'generator': the VAE's encode → decode at its own resolution. */
  readonly mode: 'denoiser' | 'generator';
  /** Where the weights came from: a checkpoint id, or 'pretrained'. */
  readonly weights: number | 'pretrained';
  /** What --quality best runs here, in words (denoisers only). */
  readonly bestQuality?: string;
  denoise(bytes: Uint8Array, opts?: DenoiseImageOptions): Promise<DenoisedImage>;
  close(): Promise<void>;
}

export function checkStrength(strength: number | undefined): number {
  const s = strength ?? 1;
  if (!(s >= 0 && s <= 1)) throw new InvalidOptionError(`--strength must be from 0 to 1, got ${strength}`);
  return s;
}

export function checkQuality(quality: string | undefined): DenoiseQuality {
  const q = quality ?? 'fast';
  if (!(DENOISE_QUALITIES as readonly string[]).includes(q)) throw new InvalidOptionError(`--quality must be fast or best, got ${quality}`);
  return q as DenoiseQuality;
}

export function checkSigma(sigma: number | undefined): number | undefined {
  if (sigma !== undefined && !(sigma >= 0 && sigma <= MAX_SIGMA)) {
    throw new InvalidOptionError(`--sigma is the noise's standard deviation on 0..255 and must be from 0 to ${MAX_SIGMA}, got ${sigma}`);
  }
  return sigma;
}

export async function openDenoiser(store: ProjectStore, choice: DenoiserChoice = {}, onNotice?: (line: string) => void): Promise<DenoiserSession> {
  const backend = await initBackend(choice.backend ?? 'auto');
  const settings = store.getSettings();
  if (settings.kind !== 'denoise') return generatorSession(loadModel(store, choice.checkpointId));

  const model = DenoiserModel.create(denoiserConfigFor(settings), 0);
  let weights: number | 'pretrained';
  try {
    const source = chooseDenoiserWeights(store, choice.checkpointId, pretrainedDenoiser(model.config) !== undefined);
    if (source.kind === 'pretrained') {
      model.load(pretrainedDenoiser(model.config)!.weights);
      weights = 'pretrained';
      onNotice?.(source.why);
    } else {
      const checkpoint = pickCheckpoint(store, source.id, (m) => onNotice?.(`${m}; using an older checkpoint`));
      if (source.why) onNotice?.(source.why);
      model.load(checkpoint.weights);
      weights = checkpoint.id;
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  let pool: TileRunner;
  try {
    pool = await tileRunner(model, backend, choice.threads);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const best = bestQualityRunner(weights, backend, choice.threads);
  return {
    mode: 'denoiser',
    weights,
    bestQuality: best.describe,
    async denoise(bytes, opts = {}) {
      const strength = checkStrength(opts.strength);
      checkSigma(opts.sigma);
      const quality = checkQuality(opts.quality);
      const photo = await decodePhoto(bytes);
      const noise = noiseLevel(photo.rgb, photo.width, photo.height, strength, opts.sigma);
      const image = { data: denoiserInput(photo, noise), width: photo.width, height: photo.height, channels: 3 };
      const runner = quality === 'best' ? ((await best.runner()) ?? pool) : pool;
      const tileFn = runner === pool ? tileFnFor(quality, (tile, w, h) => pool.denoise(tile, w, h)) : (tile: Float32Array, w: number, h: number) => runner.denoise(tile, w, h);
      const tiles = tileLayout(photo.width, photo.height, runner.concurrency);
      const out = noise.blend === 0 ? image : await processTiled(image, tiles, TILE_OVERLAP, tileFn, { ...opts, concurrency: runner.concurrency });
      const rgb = blend(photo.rgb, out.data, noise.blend);
      return { bytes: await encodeLike(photo, rgb), width: photo.width, height: photo.height, format: photo.format, noise };
    },
    async close() {
      await Promise.all([pool.close(), best.close()]);
      model.dispose();
    },
  };
}

/**
 * What --quality best runs: the larger shipped network (loaded on first use) while the project denoises with the
 * shipped fast weights; a project whose own checkpoint beat those on its held-out crops keeps its fine-tuned
 * weights and runs them on eight orientations of each tile (runner() gives undefined: the caller's pool serves).
 */
export function bestQualityRunner(weights: number | 'pretrained', backend: BackendReport, threads?: number) {
  const shipped = weights === 'pretrained' ? pretrainedDenoiserPath('best') : undefined;
  let opened: Promise<{ model: DenoiserModel; pool: TileRunner }> | undefined;
  const open = async () => {
    const model = DenoiserModel.create(BEST_DENOISER, 0);
    try {
      model.load(readFileSync(shipped!));
      return { model, pool: await tileRunner(model, backend, threads) };
    } catch (error) {
      model.dispose();
      throw new Error(`The larger denoiser (${shipped}) could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  return {
    describe: shipped
      ? 'the larger shipped denoiser (about 4× the time)'
      : `8 orientations of ${weights === 'pretrained' ? 'the shipped weights' : "this project's fine-tuned weights"} averaged (8× the time)`,
    async runner(): Promise<TileRunner | undefined> {
      if (!shipped) return undefined;
      opened ??= open();
      return (await opened).pool;
    },
    async close() {
      const done = await opened?.catch(() => undefined);
      await done?.pool.close();
      done?.model.dispose();
    },
  };
}

/** The checkpoint that denoised held-out crops best, with the shipped weights' score on the same crops. */
export interface DenoiserScores {
  best: { id: number; step: number; psnr: number };
  /** The shipped (starting) weights' PSNR, when the run started from them. */
  shipped: number | null;
}

/** Scores recorded at epoch ends (null when no checkpoint has one: older checkpoints, or no epoch ended yet). */
export function denoiserScores(store: ProjectStore): DenoiserScores | null {
  const scored = store.checkpoints.list().filter((c) => Number.isFinite(c.losses.valPsnr));
  if (scored.length === 0) return null;
  const best = scored.reduce((a, b) => (b.losses.valPsnr > a.losses.valPsnr ? b : a));
  const shipped = best.losses.startingPsnr;
  return { best: { id: best.id, step: best.step, psnr: best.losses.valPsnr }, shipped: Number.isFinite(shipped) ? shipped : null };
}

/** Whether the shipped weights still denoise the held-out crops at least as well as any checkpoint. */
export const shippedStillBetter = (scores: DenoiserScores) => scores.shipped !== null && scores.shipped >= scores.best.psnr;

/**
 * Which weights denoise when no checkpoint is named: the checkpoint that denoised held-out crops best (PSNR
 * recorded at each epoch's end), or the shipped weights when no checkpoint beat them on the same crops — so
 * training on one's own photos never makes denoising worse. Checkpoints without a score: the newest.
 */
export function chooseDenoiserWeights(
  store: ProjectStore,
  checkpointId: number | undefined,
  hasPretrained: boolean,
): { kind: 'checkpoint'; id: number | undefined; why?: string } | { kind: 'pretrained'; why: string } {
  if (checkpointId !== undefined) return { kind: 'checkpoint', id: checkpointId };
  if (store.checkpoints.list().length === 0) {
    if (hasPretrained) return { kind: 'pretrained', why: `${store.path} has no checkpoint yet: using the pretrained denoiser` };
    return { kind: 'checkpoint', id: undefined };
  }
  const scores = denoiserScores(store);
  if (!scores) return { kind: 'checkpoint', id: undefined };
  const dB = (v: number) => `${v.toFixed(2)} dB`;
  const { best, shipped } = scores;
  if (hasPretrained && shippedStillBetter(scores)) {
    return {
      kind: 'pretrained',
      why: `No checkpoint denoises held-out crops better than the shipped denoiser yet (best ${dB(best.psnr)} at step ${best.step}, shipped ${dB(shipped!)}): using the shipped weights`,
    };
  }
  const vs = shipped !== null ? `; shipped ${dB(shipped)}` : '';
  return { kind: 'checkpoint', id: best.id, why: `Using the checkpoint at step ${best.step}, the best at denoising held-out crops (${dB(best.psnr)}${vs})` };
}

/** Runs tiles: ONNX Runtime using every core on each tile in turn, or TF.js replicas taking one tile each. */
export type TileRunner = Pick<DenoiserTilePool, 'concurrency' | 'denoise' | 'close'>;

export async function tileRunner(model: DenoiserModel, backend: BackendReport, threads?: number): Promise<TileRunner> {
  if (backend.name === 'onnx' && syncOrt()) {
    const onnx = new OnnxDenoiser(model.config, model.params, threads);
    return {
      concurrency: 1,
      async denoise(tile, w, h) {
        // Each tile blocks this thread while it runs; let the host answer between tiles.
        await new Promise<void>((resolve) => setImmediate(resolve));
        return onnx.denoise(tile, w, h);
      },
      async close() {
        onnx.dispose();
      },
    };
  }
  const replicas = backend.tfjs === 'wasm' || backend.tfjs === 'cpu' ? threads : 1;
  return DenoiserTilePool.create(model, backend.tfjs === 'wasm' ? 'wasm' : 'cpu', replicas);
}

/**
 * The photo's noise, and the share of the denoised image it gets: the user's strength scales the share that suits
 * the noise level (blendForNoise), from the estimate or from the σ the user gave.
 */
export function noiseLevel(rgb: Float32Array, width: number, height: number, strength: number, sigma?: number): NoiseLevel {
  const estimate = estimateNoise(rgb, width, height);
  const estimatedSigma = estimate.patches > 0 ? Math.round(estimate.sigma * 10) / 10 : null;
  const used = sigma ?? estimatedSigma;
  return { estimatedSigma, sigma: used, sigmaFrom: sigma === undefined ? 'estimate' : 'user', blend: used === null ? strength : strength * blendForNoise(used) };
}

/** What the denoiser sees: the photo, with the colour noise a subsampled JPEG lost put back (jpeg-chroma.ts). */
export function denoiserInput(photo: { rgb: Float32Array; format: string; chromaSubsampling?: string }, noise: NoiseLevel): Float32Array {
  const share = removedChromaShare(photo.format, photo.chromaSubsampling);
  return share > 0 && noise.blend > 0 && noise.sigma ? restoreChromaNoise(photo.rgb, noise.sigma, share) : photo.rgb;
}

/** noisy + strength · (denoised − noisy), in place in `denoised`. */
function blend(noisy: Float32Array, denoised: Float32Array, strength: number): Float32Array {
  if (strength === 1) return denoised;
  const out = denoised === noisy ? new Float32Array(noisy.length) : denoised;
  for (let i = 0; i < out.length; i++) out[i] = noisy[i] + strength * (denoised[i] - noisy[i]);
  return out;
}

function generatorSession({ model, checkpoint }: { model: VaeModel; checkpoint: { id: number } }): DenoiserSession {
  return {
    mode: 'generator',
    weights: checkpoint.id,
    async denoise(bytes, opts = {}) {
      const strength = checkStrength(opts.strength);
      if (opts.sigma !== undefined) {
        throw new InvalidOptionError('--sigma is for denoise projects: a generator project reconstructs the photo through its VAE whatever the noise');
      }
      const size = model.arch.size;
      const prepared = await prepareImageBuffer(bytes, size, { alpha: model.imageChannels === 4 });
      const pixels = denoiseAtModelSize(model, prepared.pixels);
      for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(prepared.pixels[i] + strength * (pixels[i] - prepared.pixels[i]));
      return { bytes: await encodePng(pixels, size, size, model.imageChannels), width: size, height: size, format: 'png' };
    },
    async close() {
      model.dispose();
    },
  };
}

/**
 * A generator VAE as a denoiser at its own resolution: the posterior mean of the image's latent, decoded. What the
 * model cannot represent (noise, mostly) does not survive the bottleneck. `pixels`: size × size × channels bytes.
 */
export function denoiseAtModelSize(model: VaeModel, pixels: Uint8Array): Uint8Array {
  const { mu } = model.encode(gatherBatch(pixels, model.arch.size, [0], undefined, model.imageChannels));
  return model.decode(mu);
}
