// The Train screen's estimates in words: steps and passes over the person's own images at this machine's speed.
import { describe, expect, it } from 'vitest';
import type { TrainingEstimate } from '../../../shared/services/training';
import { estimateInWords, outOf, roughDuration, speedSourceInWords } from './words';

const estimate = (over: Partial<TrainingEstimate> = {}): TrainingEstimate => ({
  examplesPerSecond: 400,
  speedFrom: 'measured',
  images: 3000,
  examples: 3000,
  batch: 25,
  presets: {
    quick: { steps: 4800, seconds: 300, endsRun: false },
    good: { steps: 450, seconds: 28, endsRun: true },
    best: { steps: 2400, seconds: 2400, endsRun: true },
  },
  ...over,
});

describe('estimates in words', () => {
  it('says how many steps and passes over your images each choice buys, and how long best takes', () => {
    expect(estimateInWords('quick', estimate())).toBe('≈ 4,800 steps, about 40 passes over your 3,000 images.');
    expect(estimateInWords('good', estimate())).toBe('≈ 450 steps, about 3.8 passes over your 3,000 images: the rest of the run, in about 28 s.');
    expect(estimateInWords('best', estimate())).toBe('≈ 2,400 steps, about 20 passes over your 3,000 images: about 40 min.');
    expect(speedSourceInWords(estimate())).toBe('On this machine, from a few training steps timed just now: about 400 images a second.');
  });

  it("counts a denoiser's crops of its photos, and says so when the speed is not known", () => {
    const crops = estimate({ images: 6, examples: 48, batch: 8, presets: { ...estimate().presets, quick: { steps: 3, seconds: 300, endsRun: false } } });
    expect(estimateInWords('quick', crops)).toBe('≈ 3 steps, about 50% of one pass over the 48 crops of your 6 photos.');
    const unknown = estimate({ examplesPerSecond: null, speedFrom: null, presets: { ...estimate().presets, quick: { steps: null, seconds: 300, endsRun: false } } });
    expect(estimateInWords('quick', unknown)).toMatch(/^How far 5 min goes shows once training runs/);
    expect(speedSourceInWords(unknown)).toBeNull();
  });

  it('rounds durations as a person says them, and a run measured in time has no last epoch', () => {
    expect([roughDuration(40), roughDuration(300), roughDuration(3900), roughDuration(6000)]).toEqual(['40 s', '5 min', '65 min', '1 h 40 min']);
    expect(outOf(12, 30, 30)).toBe('12 / 30');
    expect(outOf(12, 100_000, 100_000)).toBe('12');
  });
});
