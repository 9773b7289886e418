// How far samples are from copies: for each sample, the pixel RMS error (0–255) to the nearest training image,
// averaged. A mixture that hugs the training latents scores better on KID partly by drawing near-copies; this
// number says how near (a training image's own reconstruction sits at ~7–15 on emoji).
import type { TrainingPixels } from '../../main/engine/store';

export function meanDistanceToNearest(samples: Uint8Array[], train: TrainingPixels): number {
  if (samples.length === 0 || train.count === 0) return NaN;
  const bytes = train.data.length / train.count;
  let sum = 0;
  for (const sample of samples) {
    if (sample.length !== bytes) throw new Error(`a sample of ${sample.length} values against training images of ${bytes}`);
    let best = Infinity;
    for (let r = 0; r < train.count; r++) {
      const offset = r * bytes;
      let error = 0;
      for (let j = 0; j < bytes && error < best; j++) error += (sample[j] - train.data[offset + j]) ** 2;
      best = Math.min(best, error);
    }
    sum += Math.sqrt(best / bytes);
  }
  return sum / samples.length;
}
