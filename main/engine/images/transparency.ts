// Whether a folder's images have transparency: what `alpha: auto` decides a project's channel count from at its
// first import. The header says whether a file has an alpha channel at all; only those are decoded, and only until
// one is found with a pixel that is not fully opaque (most icon and sprite sets answer on their first file).
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from './limits';
import { mapLimit } from './map-limit';
import { readImageFile } from './read-input';

/** True when the file's first frame has a pixel that is not fully opaque; false for unreadable files too. */
export async function hasTransparency(absPath: string): Promise<boolean> {
  try {
    const image = sharp(await readImageFile(absPath), { limitInputPixels: MAX_INPUT_PIXELS, pages: 1, page: 0 });
    if (!(await image.metadata()).hasAlpha) return false;
    return !(await image.stats()).isOpaque;
  } catch {
    return false; // the import itself reports why a file cannot be read
  }
}

/** True when any of the files has transparency; stops looking at the first that does. */
export async function anyTransparent(files: readonly { absPath: string }[], signal?: AbortSignal): Promise<boolean> {
  const found = new AbortController();
  const stop = AbortSignal.any([found.signal, ...(signal ? [signal] : [])]);
  try {
    await mapLimit(
      files,
      4,
      async (file) => {
        if (await hasTransparency(file.absPath)) found.abort();
      },
      stop,
    );
  } catch (error) {
    if (!found.signal.aborted) throw error;
  }
  return found.signal.aborted;
}
