// What a new project is created with when the user does not say. A denoiser's "size" is the side of the
// native-resolution crops it keeps and its latent the channels of its latent map; those defaults match the
// shipped pretrained denoiser, so a new denoiser project works before any training.
import { DEFAULT_DENOISER } from '../ml/denoiser/architecture';
import type { ProjectKind } from '../store';

export function projectDefaults(kind: ProjectKind): { imageSize: number; latentSize: number } {
  // A generator's 512: an 8×8 grid of 8 channels, which the spatial network (the default there) is at its best with.
  return kind === 'denoise' ? { imageSize: 128, latentSize: DEFAULT_DENOISER.latent } : { imageSize: 64, latentSize: 512 };
}
