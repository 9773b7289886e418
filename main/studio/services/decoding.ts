// What the explore, export and gallery services share: latents checked against the project, decoded in
// batches, and pixels turned into PNG data URLs or read back from them.
import sharp from 'sharp';
import { RpcError } from '../../../shared/contract/define';
import { encodePng, ImageError, MAX_INPUT_PIXELS, prepareImageBuffer } from '../../engine/images';
import { splitImages } from '../../engine/ml/batches';
import { initBackend } from '../../engine/ml/backends';
import type { VaeModel } from '../../engine/ml/model';
import type { Checkpoint, ProjectStore } from '../../engine/store';
import type { AppContext } from '../api';

let backendReady: Promise<unknown> | null = null;

/**
 * The session's model for a checkpoint (the active one by default), on the configured backend: nothing else
 * selects it before the first training, and decoding on the pure-JS default would miss the live canvas's budget.
 * initBackend is idempotent, so this agrees with training's choice.
 */
export async function modelFor(app: AppContext, checkpointId?: number): Promise<{ model: VaeModel; checkpoint: Checkpoint }> {
  backendReady ??= initBackend(app.options.backend ?? 'auto').catch((error) => {
    backendReady = null;
    throw error;
  });
  await backendReady;
  return app.session.model(checkpointId);
}

/** Latents decoded per call: bounds memory for long GIFs and large sheets. */
const DECODE_BATCH = 32;

/** The latent as float32, or a clear refusal when its length is not the project's latent size. */
export function checkLatent(latent: readonly number[], latentSize: number, what = 'The latent'): Float32Array {
  if (latent.length !== latentSize) {
    throw new RpcError('invalid-input', `${what} has ${latent.length} values, but this project's latents have ${latentSize}.`);
  }
  return Float32Array.from(latent);
}

/** Several latents packed one after another, each checked. */
export function checkLatents(latents: readonly (readonly number[])[], latentSize: number): Float32Array {
  const packed = new Float32Array(latents.length * latentSize);
  latents.forEach((latent, i) => packed.set(checkLatent(latent, latentSize, `Latent ${i + 1}`), i * latentSize));
  return packed;
}

/** One size×size×channels image per latent (RGB, or straight RGBA), decoded in batches; `onBatch` reports progress and may cancel (throw). */
export async function decodeImages(model: VaeModel, packed: Float32Array, onBatch?: (done: number, total: number) => void): Promise<Uint8Array[]> {
  const { latent, size } = model.arch;
  const total = packed.length / latent;
  const images: Uint8Array[] = [];
  for (let start = 0; start < total; start += DECODE_BATCH) {
    const end = Math.min(total, start + DECODE_BATCH);
    images.push(...splitImages(model.decode(packed.subarray(start * latent, end * latent)), size, model.imageChannels));
    onBatch?.(end, total);
    if (end < total) await new Promise((resolve) => setImmediate(resolve)); // let live decodes in between
  }
  return images;
}

/** Channels per pixel of a width×height image of `bytes` bytes: 4 (RGBA) or 3 (RGB). */
export function channelsOf(bytes: number, width: number, height: number): 3 | 4 {
  return bytes === width * height * 4 ? 4 : 3;
}

/** A PNG data URL of RGB or RGBA pixels (RGBA keeps its transparency). */
export async function pngDataUrl(pixels: Uint8Array, width: number, height: number): Promise<string> {
  return `data:image/png;base64,${(await encodePng(pixels, width, height, channelsOf(pixels.length, width, height))).toString('base64')}`;
}

/** Pixels of a PNG we wrote ourselves (gallery images), with `channels` per pixel. */
export async function pngPixels(png: Uint8Array, channels: 3 | 4 = 3): Promise<Uint8Array> {
  const image = sharp(png, { limitInputPixels: MAX_INPUT_PIXELS });
  const { data } = await (channels === 4 ? image.ensureAlpha(1) : image.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The bytes of a base64 "data:image/...;base64," URL, or a clear refusal. */
export function dataUrlBytes(dataUrl: string): Buffer {
  const match = /^data:image\/[A-Za-z0-9.+-]+(?:;[^,;]*)*;base64,/.exec(dataUrl);
  if (!match) throw new RpcError('invalid-input', 'The dropped image could not be read: it is not a base64 image data URL.');
  const body = dataUrl.slice(match[0].length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
    throw new RpcError('invalid-input', 'The dropped image could not be read: its data is not valid base64.');
  }
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length === 0) throw new RpcError('invalid-input', 'The dropped image is empty.');
  return bytes;
}

/** Nearest-neighbour upscale of an RGB or RGBA image by a whole factor (pixel art stays crisp). */
export function upscaleNearest(pixels: Uint8Array, width: number, height: number, scale: number): Uint8Array {
  if (scale === 1) return pixels;
  const c = channelsOf(pixels.length, width, height);
  const outWidth = width * scale;
  const out = new Uint8Array(outWidth * height * scale * c);
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(outWidth * c);
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * c;
      for (let k = 0; k < scale; k++) row.set(pixels.subarray(src, src + c), (x * scale + k) * c);
    }
    for (let k = 0; k < scale; k++) out.set(row, (y * scale + k) * outWidth * c);
  }
  return out;
}

/** Prepared pixels of a ready dataset image. */
export function datasetPixels(store: ProjectStore, imageId: number): Uint8Array {
  const pixels = store.images.pixels(imageId);
  if (!pixels) throw new RpcError('not-found', `There is no ready image ${imageId} in this project; it may have been removed by a re-import.`);
  return pixels;
}

/** The dropped file through the same preparation as an import (orientation, alpha, centre crop, resize). */
export async function droppedPixels(bytes: Uint8Array, size: number, channels: 3 | 4 = 3): Promise<Uint8Array> {
  try {
    return (await prepareImageBuffer(bytes, size, { alpha: channels === 4 })).pixels;
  } catch (error) {
    if (error instanceof ImageError) throw new RpcError('invalid-input', `The dropped file cannot be used: ${error.reason}.`);
    throw error;
  }
}
