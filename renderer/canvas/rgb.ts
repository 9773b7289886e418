// Raw decoded pixels (base64 of width·height·3 RGB bytes) → canvas pixels.
import { rgbToRgba as toRgba } from '../../shared/pixels';
import type { RgbImage } from '../../shared/services/explore';

export function decodedToRgba(image: RgbImage): Uint8ClampedArray<ArrayBuffer> {
  const rgb = base64ToBytes(image.rgb);
  const n = image.width * image.height;
  if (rgb.length !== n * 3) {
    throw new Error(`The decoded image has ${rgb.length} bytes; a ${image.width}×${image.height} RGB image needs ${n * 3}.`);
  }
  return toRgba(rgb, n);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Draws the image at its own resolution; CSS (image-rendering: pixelated) scales the canvas up crisply. */
export function drawRgb(canvas: HTMLCanvasElement, image: RgbImage): void {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(decodedToRgba(image), image.width, image.height), 0, 0);
}
