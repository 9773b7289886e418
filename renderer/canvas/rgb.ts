// Raw decoded pixels (base64 of width·height·3 RGB bytes, or ·4 straight RGBA for a project that keeps
// transparency) → canvas pixels.
import { rgbToRgba as toRgba } from '../../shared/pixels';
import type { RgbImage } from '../../shared/services/explore';

export function decodedToRgba(image: RgbImage): Uint8ClampedArray<ArrayBuffer> {
  const bytes = base64ToBytes(image.rgb);
  const n = image.width * image.height;
  const channels = image.channels ?? 3;
  if (bytes.length !== n * channels) {
    const kind = channels === 4 ? 'RGBA' : 'RGB';
    throw new Error(`The decoded image has ${bytes.length} bytes; a ${image.width}×${image.height} ${kind} image needs ${n * channels}.`);
  }
  // ImageData is straight (not premultiplied) RGBA, which is what the engine sends.
  return channels === 4 ? new Uint8ClampedArray(bytes.buffer as ArrayBuffer) : toRgba(bytes, n);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Draws the image at its own resolution; CSS (image-rendering: pixelated) scales the canvas up crisply, and the
 * canvas's checkerboard background shows through transparent pixels.
 */
export function drawRgb(canvas: HTMLCanvasElement, image: RgbImage): void {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(decodedToRgba(image), image.width, image.height), 0, 0);
}
