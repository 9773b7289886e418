// Whether a project keeps transparency: the channel count its images are prepared with, decided at import from the
// person's choice (`--alpha auto|keep|flatten`) and, for 'auto', from the images themselves.
import { anyTransparent } from '../images';
import type { AlphaMode, ProjectStore } from '../store';
import { InvalidOptionError } from './options';

export interface ImageFormat {
  alpha: AlphaMode;
  imageChannels: 3 | 4;
}

/**
 * The format this import prepares with. 'auto' decides only while the project has no prepared images (keep alpha when
 * any file being imported has a pixel that is not fully opaque); after that a project stays what it was prepared as,
 * so adding one transparent image never silently re-prepares (and retrains) a whole RGB project.
 */
export async function decideImageFormat(
  store: ProjectStore,
  asked: AlphaMode | undefined,
  files: readonly { absPath: string }[],
  signal?: AbortSignal,
): Promise<ImageFormat> {
  const settings = store.getSettings();
  const alpha = asked ?? settings.alpha;
  if (settings.kind === 'denoise') {
    if (alpha === 'keep') throw new InvalidOptionError(`${store.path} is a denoise project: it works on RGB photos, so --alpha keep does not apply`);
    return { alpha, imageChannels: 3 };
  }
  if (alpha === 'keep') return { alpha, imageChannels: 4 };
  if (alpha === 'flatten') return { alpha, imageChannels: 3 };
  if (store.images.hasPreparedPixels()) return { alpha, imageChannels: settings.imageChannels };
  return { alpha, imageChannels: (await anyTransparent(files, signal)) ? 4 : 3 };
}
