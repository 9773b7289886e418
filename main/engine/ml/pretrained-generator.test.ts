import { describe, expect, it } from 'vitest';
import { VaeModel } from './model';
import { pretrainedGenerator, SHIPPED_GENERATORS } from './pretrained-generator';

describe('pretrainedGenerator', () => {
  it('finds shipped weights for each shipped shape, and they load into a model of that shape', () => {
    for (const s of SHIPPED_GENERATORS) {
      const pre = pretrainedGenerator(s);
      expect(pre, s.file).toBeDefined();
      const model = VaeModel.create(s, 0);
      try {
        expect(() => model.load(pre!.weights)).not.toThrow();
      } finally {
        model.dispose();
      }
    }
  });

  it('has none for other shapes: sizes, latents, transparency and the residual network start from random weights', () => {
    expect(pretrainedGenerator({ size: 32, latent: 128 })).toBeUndefined();
    expect(pretrainedGenerator({ size: 64, latent: 64 })).toBeUndefined();
    expect(pretrainedGenerator({ size: 64, latent: 128, imageChannels: 4 })).toBeUndefined();
    expect(pretrainedGenerator({ size: 64, latent: 128, network: 'residual' })).toBeUndefined();
    expect(pretrainedGenerator({ size: 64, latent: 512, network: 'classic' })).toBeUndefined();
    expect(pretrainedGenerator({ size: 64, latent: 256, network: 'spatial' })).toBeUndefined();
  });
});
