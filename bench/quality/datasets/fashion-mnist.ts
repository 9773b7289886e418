// Fashion-MNIST (Zalando Research, MIT licence) from Debian's `dataset-fashion-mnist`: 28×28 grey photos of
// clothes, centred on a 32×32 black canvas and written as RGB PNGs; the first few thousand training images.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { forEachLimited, writeRgbPng, type QualityDataset } from './prepared-folder';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
const COUNT = 4000;
const SIDE = 32;

/** The images of an idx3-ubyte file: count, rows, cols and the bytes, row after row. */
export function readIdxImages(bytes: Uint8Array): { count: number; rows: number; cols: number; pixels: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x00000803) throw new Error('not an idx3-ubyte image file');
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  return { count, rows, cols, pixels: bytes.subarray(16, 16 + count * rows * cols) };
}

export const fashionMnistDataset: QualityDataset = {
  name: 'fashion-mnist',
  imageSize: SIDE,
  describe: `Fashion-MNIST (MIT), first ${COUNT} training images, 28×28 grey centred on 32×32 black`,
  recipe: `fashion-v1-${COUNT}`,
  async prepare(folder) {
    const file = join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz');
    if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/install-system-deps.sh (Debian dataset-fashion-mnist)`);
    const { count, rows, cols, pixels } = readIdxImages(gunzipSync(readFileSync(file)));
    const n = Math.min(COUNT, count);
    const pad = (SIDE - rows) / 2;
    await forEachLimited(Array.from({ length: n }, (_, i) => i), 4, async (i) => {
      const rgb = new Uint8Array(SIDE * SIDE * 3);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) {
          const v = pixels[i * rows * cols + y * cols + x];
          const o = ((y + pad) * SIDE + x + pad) * 3;
          rgb[o] = rgb[o + 1] = rgb[o + 2] = v;
        }
      }
      await writeRgbPng(join(folder, `fashion-${String(i).padStart(5, '0')}.png`), rgb, SIDE, SIDE);
    });
    return n;
  },
};
