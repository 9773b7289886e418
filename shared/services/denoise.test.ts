// The Denoise contract's noise option at the boundary: σ is optional (each photo's own estimate), a number
// from 0 to 100 on 0..255 when given, refused otherwise with the reason; results carry each photo's noise.
import { describe, expect, it } from 'vitest';
import { denoiseService } from './denoise';

const image = denoiseService.methods.image;
const batch = denoiseService.methods.batch;
const photo = { input: '/p/a.jpg', jobId: 'j1' };
const folder = { input: '/p', output: '/q', jobId: 'j2' };

describe('denoise contract: noise σ', () => {
  it('is optional: absent, each photo is estimated', () => {
    expect(image.input.parse(photo)).toEqual({ ...photo, strength: 1, quality: 'fast' });
    expect(batch.input.parse(folder)).not.toHaveProperty('sigma');
  });

  it('takes a σ from 0 to 100 for one photo and for a folder', () => {
    for (const sigma of [0, 12.5, 100]) {
      expect(image.input.parse({ ...photo, sigma })).toMatchObject({ sigma });
      expect(batch.input.parse({ ...folder, sigma })).toMatchObject({ sigma });
    }
  });

  it('refuses σ below 0, above 100, or not a number, saying why', () => {
    const why = (input: unknown) => {
      const r = image.input.safeParse(input);
      return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(why({ ...photo, sigma: -1 })).toBe('sigma: Noise σ is 0 or more');
    expect(why({ ...photo, sigma: 255 })).toBe('sigma: Noise σ is at most 100 (on 0..255)');
    expect(why({ ...photo, sigma: '25' })).toMatch(/^sigma: /);
    expect(why({ ...photo, sigma: Number.NaN })).toMatch(/^sigma: /);
    expect(batch.input.safeParse({ ...folder, sigma: 101 }).success).toBe(false);
  });

  it('takes quality fast (the default) or best, and refuses anything else', () => {
    expect(batch.input.parse(folder)).toMatchObject({ quality: 'fast' });
    expect(image.input.parse({ ...photo, quality: 'best' })).toMatchObject({ quality: 'best' });
    expect(batch.input.safeParse({ ...folder, quality: 'ultra' }).success).toBe(false);
  });

  it("results carry each photo's noise: estimated, used, from where, and the share denoised", () => {
    const result = { before: 'm/1', after: 'm/2', output: '/o.jpg', width: 4, height: 3, seconds: 1 };
    const noise = { estimatedSigma: 24.8, sigma: 30, sigmaFrom: 'user', blend: 0.98 };
    expect(image.output.parse({ ...result, noise })).toMatchObject({ noise });
    expect(image.output.parse({ ...result, noise: null })).toMatchObject({ noise: null });
    expect(image.output.safeParse({ ...result, noise: { ...noise, sigmaFrom: 'guess' } }).success).toBe(false);
  });
});
