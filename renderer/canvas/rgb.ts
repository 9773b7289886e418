// Raw decoded pixels (base64 of width·height·3 RGB bytes) → canvas pixels.
import type { RgbImage } from '../../shared/services/explore';

export function rgbToRgba(image: RgbImage): Uint8ClampedArray<ArrayBuffer> {
  const rgb = base64ToBytes(image.rgb);
  const n = image.width * image.height;
  if (rgb.length !== n * 3) {
    throw new Error(`The decoded image has ${rgb.length} bytes; a ${image.width}×${image.height} RGB image needs ${n * 3}.`);
  }
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    rgba[i * 4] = rgb[j];
    rgba[i * 4 + 1] = rgb[j + 1];
    rgba[i * 4 + 2] = rgb[j + 2];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
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
  ctx.putImageData(new ImageData(rgbToRgba(image), image.width, image.height), 0, 0);
}
