// Colour noise put back for subsampled JPEGs: only for them, luma untouched, the variance subsampling removed, the
// same every time; and what a user notices: the shipped denoiser cleans a noisy 4:2:0 JPEG clearly better with it.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { estimateNoise } from '../../denoise/noise-level';
import { DEFAULT_DENOISER } from './architecture';
import { removedChromaShare, restoreChromaNoise } from './jpeg-chroma';
import { DenoiserModel } from './model';
import { pretrainedDenoiser } from './pretrained';
import { addNoise, psnr, syntheticPhoto } from './test-support/images';

const W = 160;
const H = 120;

describe('removedChromaShare', () => {
  it('is 3/4 for 4:2:0 JPEGs, 1/2 for 4:2:2, and 0 for 4:4:4 or any other format', () => {
    expect(removedChromaShare('jpeg', '4:2:0')).toBe(0.75);
    expect(removedChromaShare('jpeg', '4:2:2')).toBe(0.5);
    expect(removedChromaShare('jpeg', '4:4:4')).toBe(0);
    expect(removedChromaShare('jpeg', undefined)).toBe(0);
    expect(removedChromaShare('png', '4:2:0')).toBe(0);
  });
});

describe('restoreChromaNoise', () => {
  const flat = new Float32Array(256 * 256 * 3).fill(0.5);
  const out = restoreChromaNoise(flat, 25, 0.75);

  it('leaves luma as it was and adds Cb, Cr noise of the removed share of what σ per channel gives them', () => {
    let maxLuma = 0;
    const cb: number[] = [];
    const cr: number[] = [];
    for (let i = 0; i < out.length; i += 3) {
      const [r, g, b] = [out[i] - 0.5, out[i + 1] - 0.5, out[i + 2] - 0.5];
      maxLuma = Math.max(maxLuma, Math.abs(0.299 * r + 0.587 * g + 0.114 * b));
      cb.push((-0.168736 * r - 0.331264 * g + 0.5 * b) * 255);
      cr.push((0.5 * r - 0.418688 * g - 0.081312 * b) * 255);
    }
    const std = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + v * v, 0) / xs.length);
    expect(maxLuma * 255).toBeLessThan(1e-3);
    expect(std(cb)).toBeCloseTo(Math.sqrt(0.75) * 0.6207 * 25, 0);
    expect(std(cr)).toBeCloseTo(Math.sqrt(0.75) * 0.6574 * 25, 0);
  });

  it('is the same every time (the same photo denoises the same way)', () => {
    expect(restoreChromaNoise(flat, 25, 0.75)).toEqual(out);
  });
});

describe('a noisy photo saved as a 4:2:0 JPEG', () => {
  let model: DenoiserModel;
  beforeAll(async () => {
    await initBackend('wasm');
    model = DenoiserModel.create(DEFAULT_DENOISER, 0);
    model.load(pretrainedDenoiser(DEFAULT_DENOISER)!.weights);
  });
  afterAll(() => model.dispose());

  it('is denoised clearly better with its colour noise put back', async () => {
    const clean = syntheticPhoto(W, H, 21);
    const noisy = Buffer.from(addNoise(clean, 25 / 255, 22).map((v) => Math.round(v * 255)));
    const jpeg = await sharp(noisy, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 75, chromaSubsampling: '4:2:0' }).toBuffer();
    expect((await sharp(jpeg).metadata()).chromaSubsampling).toBe('4:2:0');
    const decoded = Float32Array.from(await sharp(jpeg).raw().toBuffer(), (v) => v / 255);
    const sigma = estimateNoise(decoded, W, H).sigma;
    const plain = psnr(model.denoise(decoded, W, H), clean);
    const restored = psnr(model.denoise(restoreChromaNoise(decoded, sigma, 0.75), W, H), clean);
    expect(restored).toBeGreaterThan(plain + 1);
  });
});
