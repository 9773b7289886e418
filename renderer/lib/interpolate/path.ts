// An interpolation through two or more keyframe latents with exactly `frames` frames in all, evenly spaced in
// "keyframe time" (each segment gets an equal share), first and last frames exactly on the first and last keys.
import { type InterpolationMode, lerp, slerp } from '../../../shared/latent';

export function keyframePath(keys: readonly ArrayLike<number>[], frames: number, mode: InterpolationMode): number[][] {
  if (keys.length === 0) return [];
  if (keys.length === 1 || frames < 2) return [Array.from(keys[0])];
  const f = mode === 'slerp' ? slerp : lerp;
  const segments = keys.length - 1;
  const out: number[][] = [];
  for (let i = 0; i < frames; i++) {
    const t = (i / (frames - 1)) * segments;
    const segment = Math.min(segments - 1, Math.floor(t));
    out.push(Array.from(f(keys[segment], keys[segment + 1], t - segment)));
  }
  return out;
}
